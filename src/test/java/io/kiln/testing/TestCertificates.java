package io.kiln.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and certificates it signs, as PEM files, made with the JDK's own keytool
 * (so tests need no tool beyond Java): what a cluster's operator would make with openssl.
 */
public final class TestCertificates {
  private static final String PASSWORD = "kiln-test";

  private final Path dir;
  private final String ca;

  private TestCertificates(Path dir, String ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** The PEM files of one certificate: its own, its private key (PKCS#8) and its CA's. */
  public record Pem(Path certificate, Path key, Path ca) {}

  /** A new CA named {@code name}, its files in {@code dir}. */
  public static TestCertificates authority(Path dir, String name) throws IOException {
    TestCertificates c = new TestCertificates(dir, name);
    c.keytool("-genkeypair", "-alias", name, "-keystore", c.store(name).toString(), "-keyalg", "EC", "-groupname",
        "secp256r1", "-dname", "CN=" + name, "-validity", "2", "-ext", "bc:c");
    c.keytool("-exportcert", "-rfc", "-alias", name, "-keystore", c.store(name).toString(), "-file",
        c.caPem().toString());
    return c;
  }

  /** A certificate signed by this CA for a process reachable at 127.0.0.1 and localhost. */
  public Pem issue(String name) throws IOException {
    Path store = store(name);
    keytool("-genkeypair", "-alias", name, "-keystore", store.toString(), "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + name, "-validity", "2");
    Path request = dir.resolve(name + ".csr");
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", request.toString());
    Path certificate = dir.resolve(name + ".pem");
    keytool("-gencert", "-alias", ca, "-keystore", store(ca).toString(), "-infile", request.toString(), "-outfile",
        certificate.toString(), "-rfc", "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost", "-ext",
        "eku=serverAuth,clientAuth");
    Path key = dir.resolve(name + ".key");
    Files.writeString(key, pem("PRIVATE KEY", privateKey(store, name).getEncoded()));
    return new Pem(certificate, key, caPem());
  }

  private Path caPem() {
    return dir.resolve(ca + "-ca.pem");
  }

  private Path store(String alias) {
    return dir.resolve(alias + ".p12");
  }

  private static Key privateKey(Path store, String alias) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      return ks.getKey(alias, PASSWORD.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the key " + alias + " from " + store, e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", PASSWORD, "-keypass", PASSWORD, "-storetype", "PKCS12", "-noprompt"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("keytool did not finish in 60 s: " + command);
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException("keytool failed (" + p.exitValue() + "): " + output + " for " + command);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running keytool", e);
    }
  }
}
