package io.kiln.logical;

import io.kiln.error.KilnException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Row-at-a-time string functions, with DuckDB's answers at the edges (empty search strings, negative counts). */
final class TextFunctions {
  /** Patterns are nearly always constants: compile each once (per thread-shared cache, bounded). */
  private static final Map<String, Pattern> PATTERNS = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Pattern> eldest) {
      return size() > 256;
    }
  };

  private TextFunctions() {}

  static Object apply(Function f, Object[] a) {
    switch (f) {
      case REPLACE: {
        String s = (String) a[0];
        String from = (String) a[1];
        return from.isEmpty() ? s : s.replace(from, (String) a[2]);
      }
      case STRPOS: {
        String s = (String) a[0];
        int at = s.indexOf((String) a[1]);
        return at < 0 ? 0L : (long) s.codePointCount(0, at) + 1;
      }
      case STARTS_WITH:
        return ((String) a[0]).startsWith((String) a[1]);
      case ENDS_WITH:
        return ((String) a[0]).endsWith((String) a[1]);
      case CONTAINS:
        return ((String) a[0]).contains((String) a[1]);
      case LPAD:
      case RPAD:
        return pad((String) a[0], (Long) a[1], (String) a[2], f == Function.LPAD);
      case SPLIT_PART:
        return splitPart((String) a[0], (String) a[1], (Long) a[2]);
      case LEFT:
        return left((String) a[0], (Long) a[1]);
      case RIGHT:
        return right((String) a[0], (Long) a[1]);
      case REVERSE:
        return new StringBuilder((String) a[0]).reverse().toString();
      case REPEAT: {
        long n = (Long) a[1];
        String s = (String) a[0];
        if (n <= 0 || s.isEmpty()) {
          return "";
        }
        if (n * s.length() > Integer.MAX_VALUE / 2) {
          throw KilnException.execution("repeat would make a string of " + n * s.length() + " characters");
        }
        return s.repeat((int) n);
      }
      case REGEXP_MATCHES:
        return pattern((String) a[1]).matcher((String) a[0]).find();
      case REGEXP_REPLACE: {
        Matcher m = pattern((String) a[1]).matcher((String) a[0]);
        String replacement = javaReplacement((String) a[2]);
        boolean global = a.length > 3 && ((String) a[3]).contains("g");
        return global ? m.replaceAll(replacement) : m.replaceFirst(replacement);
      }
      case REGEXP_EXTRACT: {
        Matcher m = pattern((String) a[1]).matcher((String) a[0]);
        long group = (Long) a[2];
        if (group < 0 || group > m.groupCount()) {
          throw KilnException.execution("regexp_extract: the pattern '" + a[1] + "' has no group " + group);
        }
        if (!m.find()) {
          return "";
        }
        String g = m.group((int) group);
        return g == null ? "" : g;
      }
      default:
        throw new IllegalStateException("no string implementation for " + f);
    }
  }

  private static Pattern pattern(String regex) {
    synchronized (PATTERNS) {
      Pattern p = PATTERNS.get(regex);
      if (p == null) {
        try {
          p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
          throw KilnException.execution("invalid regular expression '" + regex + "': " + e.getDescription());
        }
        PATTERNS.put(regex, p);
      }
      return p;
    }
  }

  /** DuckDB (RE2) writes group references as \1; Java as $1, and a plain $ must be escaped. */
  private static String javaReplacement(String r) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (c == '\\' && i + 1 < r.length() && Character.isDigit(r.charAt(i + 1))) {
        out.append('$').append(r.charAt(++i));
      } else if (c == '\\' && i + 1 < r.length()) {
        out.append('\\').append(r.charAt(++i));
      } else if (c == '$') {
        out.append("\\$");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String pad(String s, long length, String fill, boolean left) {
    int chars = s.codePointCount(0, s.length());
    if (length <= chars) {
      return s.substring(0, s.offsetByCodePoints(0, (int) Math.max(0, length)));
    }
    if (fill.isEmpty()) {
      return s;
    }
    StringBuilder padding = new StringBuilder();
    int[] points = fill.codePoints().toArray();
    for (long i = 0; i < length - chars; i++) {
      padding.appendCodePoint(points[(int) (i % points.length)]);
    }
    return left ? padding + s : s + padding;
  }

  /** 1-based; negative counts from the end; out of range is ''; an empty delimiter splits into characters. */
  private static String splitPart(String s, String delimiter, long index) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (delimiter.isEmpty()) {
      s.codePoints().forEach(cp -> parts.add(new String(Character.toChars(cp))));
    } else {
      int from = 0;
      while (true) {
        int at = s.indexOf(delimiter, from);
        if (at < 0) {
          parts.add(s.substring(from));
          break;
        }
        parts.add(s.substring(from, at));
        from = at + delimiter.length();
      }
    }
    long i = index > 0 ? index - 1 : parts.size() + index;
    return index == 0 || i < 0 || i >= parts.size() ? "" : parts.get((int) i);
  }

  /** The first n characters; a negative n drops the last -n. */
  private static String left(String s, long n) {
    int chars = s.codePointCount(0, s.length());
    long keep = n >= 0 ? Math.min(n, chars) : Math.max(0, chars + n);
    return s.substring(0, s.offsetByCodePoints(0, (int) keep));
  }

  /** The last n characters; a negative n drops the first -n. */
  private static String right(String s, long n) {
    int chars = s.codePointCount(0, s.length());
    long keep = n >= 0 ? Math.min(n, chars) : Math.max(0, chars + n);
    return s.substring(s.offsetByCodePoints(0, (int) (chars - keep)));
  }
}
