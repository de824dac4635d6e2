package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.datasource.objectstore.S3Location;
import io.kiln.error.KilnException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code --table NAME=PATH} of the long-running commands: a Parquet file or folder, a CSV file, or s3://. */
final class TableLocations {
  private TableLocations() {}

  static void register(Kiln kiln, String name, String location) {
    if (S3Location.isS3(location)) {
      kiln.registerParquet(name, location);
      return;
    }
    Path path = Path.of(location);
    if (!Files.exists(path)) {
      throw KilnException.io("--table " + name + ": " + path + ": no such file or directory", null);
    }
    if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      kiln.registerCsv(name, path);
    } else {
      kiln.registerParquet(name, path);
    }
  }
}
