package io.kiln.server;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Connections through the official Flight SQL JDBC driver. The driver bundles its own (relocated)
 * Arrow, which reads the same {@code arrow.allocation.manager.type} property as Kiln's Arrow but
 * ships only the Netty allocator: the tests' "Unsafe" would stop it from loading. So its allocator
 * class is initialized once with the property unset, after Kiln's Arrow has made its own choice.
 */
final class JdbcDriver {
  private static final String PROPERTY = "arrow.allocation.manager.type";
  private static boolean ready;

  private JdbcDriver() {}

  static Connection connect(String url) throws SQLException {
    prepare();
    return DriverManager.getConnection(url);
  }

  private static synchronized void prepare() {
    if (ready) {
      return;
    }
    new org.apache.arrow.memory.RootAllocator().close(); // Kiln's Arrow picks Unsafe first
    String kilnChoice = System.clearProperty(PROPERTY);
    try {
      Class.forName("org.apache.arrow.driver.jdbc.shaded.org.apache.arrow.memory.BaseAllocator", true,
          JdbcDriver.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the Flight SQL JDBC driver is not on the test classpath", e);
    } finally {
      if (kilnChoice != null) {
        System.setProperty(PROPERTY, kilnChoice);
      }
    }
    ready = true;
  }
}
