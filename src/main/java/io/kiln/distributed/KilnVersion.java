package io.kiln.distributed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This build's version, which every process of a cluster must share: plans and shuffle files
 * pass between them as they are. A build run from classes (tests, an IDE) reports its Java
 * class path's build as "development".
 */
public final class KilnVersion {
  private static final String POM_PROPERTIES = "/META-INF/maven/io.kiln/kiln/pom.properties";
  private static final String VERSION = read();

  private KilnVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = KilnVersion.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        return "development";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "development");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
    }
  }
}
