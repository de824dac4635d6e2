package io.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kiln.error.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetDirTest {
  @TempDir Path dir;

  @Test
  void filesAndFoldersOfParquetBecomeTables() throws IOException {
    Files.createFile(dir.resolve("nation.parquet"));
    Files.createDirectories(dir.resolve("lineitem"));
    Files.createFile(dir.resolve("lineitem/part-0.parquet"));
    Files.createFile(dir.resolve("lineitem/part-1.parquet"));
    Files.createDirectories(dir.resolve("empty"));
    Files.createDirectories(dir.resolve("deep/inner"));
    Files.createFile(dir.resolve("deep/inner/x.parquet"));
    Files.createFile(dir.resolve("notes.txt"));
    Files.createFile(dir.resolve(".hidden.parquet"));
    Files.createFile(dir.resolve("_SUCCESS"));

    Map<String, Path> tables = ParquetDir.tables(dir);
    assertEquals(Map.of("lineitem", dir.resolve("lineitem"), "nation", dir.resolve("nation.parquet")), tables);
    assertEquals("[lineitem, nation]", tables.keySet().toString());
  }

  @Test
  void missingFolderOrNoParquetIsAnIoError() throws IOException {
    KilnException missing = assertThrows(KilnException.class, () -> ParquetDir.tables(dir.resolve("x")));
    assertEquals(KilnException.Kind.IO, missing.kind());
    Files.createFile(dir.resolve("a.csv"));
    KilnException none = assertThrows(KilnException.class, () -> ParquetDir.tables(dir));
    assertTrue(none.getMessage().contains("no .parquet files"), none.getMessage());
  }

  @Test
  void fileAndFolderWithTheSameNameAreRejected() throws IOException {
    Files.createFile(dir.resolve("orders.parquet"));
    Files.createDirectories(dir.resolve("orders"));
    Files.createFile(dir.resolve("orders/0.parquet"));
    KilnException e = assertThrows(KilnException.class, () -> ParquetDir.tables(dir));
    assertTrue(e.getMessage().contains("would be table orders"), e.getMessage());
  }
}
