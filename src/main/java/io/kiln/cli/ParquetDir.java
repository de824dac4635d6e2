package io.kiln.cli;

import io.kiln.error.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the tables in a folder: each {@code NAME.parquet} file is table NAME, and each sub-folder
 * holding {@code .parquet} files is a table named after the folder. Names starting with '.' or '_'
 * (checksums, _SUCCESS markers) are skipped, as writers such as Spark leave them beside the data.
 */
final class ParquetDir {
  private static final String SUFFIX = ".parquet";

  private ParquetDir() {}

  /** Table name to file or folder, sorted by name. */
  static Map<String, Path> tables(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw KilnException.io("--parquet-dir " + dir + ": no such directory", null);
    }
    Map<String, Path> tables = new TreeMap<>();
    for (Path entry : list(dir)) {
      String name = entry.getFileName().toString();
      String table = null;
      if (Files.isDirectory(entry)) {
        if (list(entry).stream().anyMatch(p -> Files.isRegularFile(p) && isParquet(p))) {
          table = name;
        }
      } else if (isParquet(entry)) {
        table = name.substring(0, name.length() - SUFFIX.length());
      }
      if (table != null) {
        Path previous = tables.put(table, entry);
        if (previous != null) {
          throw KilnException.io(
              "--parquet-dir " + dir + ": both " + previous.getFileName() + " and " + name
                  + " would be table " + table + "; rename one or register them with --table",
              null);
        }
      }
    }
    if (tables.isEmpty()) {
      throw KilnException.io("--parquet-dir " + dir + ": no .parquet files or folders of them", null);
    }
    return tables;
  }

  private static boolean isParquet(Path file) {
    String name = file.getFileName().toString();
    return name.toLowerCase(Locale.ROOT).endsWith(SUFFIX) && name.length() > SUFFIX.length();
  }

  /** Visible entries of a folder. */
  private static List<Path> list(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
          .sorted(Comparator.naturalOrder())
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw KilnException.io("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
