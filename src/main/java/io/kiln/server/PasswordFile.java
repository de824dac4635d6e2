package io.kiln.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The server's users: one {@code user:pbkdf2-sha256:ITERATIONS:SALT:HASH} line each (salt and hash
 * in Base64; '#' starts a comment), so the file never holds a password. {@link #entry} makes a line.
 */
public final class PasswordFile {
  private static final String SCHEME = "pbkdf2-sha256";
  private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  private static final int ITERATIONS = 210_000;
  private static final int HASH_BITS = 256;

  private record Hashed(int iterations, byte[] salt, byte[] hash) {}

  private final Map<String, Hashed> users;
  /** Checked for unknown users too, so a wrong name costs the same time as a wrong password. */
  private final Hashed decoy;

  private PasswordFile(Map<String, Hashed> users) {
    this.users = users;
    byte[] salt = new byte[16];
    this.decoy = new Hashed(ITERATIONS, salt, pbkdf2(new char[0], salt, ITERATIONS));
  }

  /** Reads and checks the whole file; a malformed line is an error naming its number. */
  public static PasswordFile read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<String, Hashed> users = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(":");
      if (parts.length != 5 || !parts[1].equals(SCHEME) || parts[0].isEmpty()) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected user:" + SCHEME
            + ":ITERATIONS:SALT:HASH (make lines with kiln server --hash-password USER)");
      }
      try {
        users.put(parts[0], new Hashed(Integer.parseInt(parts[2]), Base64.getDecoder().decode(parts[3]),
            Base64.getDecoder().decode(parts[4])));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException(file + ": no users");
    }
    return new PasswordFile(users);
  }

  /** A line of the file for {@code user} with a fresh random salt. */
  public static String entry(String user, char[] password) {
    if (user.isEmpty() || user.contains(":")) {
      throw new IllegalArgumentException("a user name is not empty and has no ':', got '" + user + "'");
    }
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    Base64.Encoder b64 = Base64.getEncoder();
    return user + ":" + SCHEME + ":" + ITERATIONS + ":" + b64.encodeToString(salt) + ":"
        + b64.encodeToString(pbkdf2(password, salt, ITERATIONS));
  }

  /** Whether {@code password} is {@code user}'s. */
  public boolean matches(String user, String password) {
    Hashed h = users.get(user);
    Hashed checked = h == null ? decoy : h;
    boolean same = MessageDigest.isEqual(checked.hash(), pbkdf2(password.toCharArray(), checked.salt(),
        checked.iterations()));
    return h != null && same;
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    try {
      PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
      try {
        return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
      } finally {
        spec.clearPassword();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + ALGORITHM, e);
    }
  }
}
