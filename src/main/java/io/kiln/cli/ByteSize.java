package io.kiln.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses sizes such as 4g, 512m, 64k or 1048576 (bytes); multiples are powers of 1024. */
final class ByteSize implements ITypeConverter<Long> {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?");

  @Override
  public Long convert(String text) {
    return parse(text);
  }

  static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new TypeConversionException("'" + text + "' is not a size; write e.g. 512m, 4g or a number of bytes");
    }
    int shift = "_kmgt".indexOf(m.group(2).isEmpty() ? '_' : m.group(2).charAt(0)) * 10;
    try {
      long number = Long.parseLong(m.group(1));
      if (number == 0 || Long.numberOfLeadingZeros(number) <= shift) {
        throw new TypeConversionException("'" + text + "' must be above zero and below 8 exabytes");
      }
      return number << shift;
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + text + "' is too large: " + e.getMessage());
    }
  }
}
