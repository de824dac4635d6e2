package io.kiln.distributed.rpc;

import io.grpc.netty.GrpcSslContexts;
import io.kiln.error.KilnException;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * Mutual TLS between a cluster's processes, from PEM files: each process presents its certificate
 * (and proves its key), and accepts only peers whose certificate the cluster's CA signed. Calls
 * are encrypted, and a process without such a certificate cannot join, submit or fetch. Clients
 * also check that a server's certificate names the host they dialled, as HTTPS does.
 */
public final class MutualTls {
  private final Path certificate;
  private final SslContext server;
  private final SslContext client;

  private MutualTls(Path certificate, SslContext server, SslContext client) {
    this.certificate = certificate;
    this.server = server;
    this.client = client;
  }

  /**
   * Reads {@code certificate} (PEM, the process's own, possibly with its chain), {@code key} (its
   * private key, PEM PKCS#8) and {@code trustedCa} (PEM, the CA that signs the cluster's
   * certificates); a clear error naming the file that is missing or unreadable.
   */
  public static MutualTls fromPem(Path certificate, Path key, Path trustedCa) {
    for (Path p : new Path[] {certificate, key, trustedCa}) {
      if (!Files.isReadable(p)) {
        throw KilnException.io("the TLS file " + p + (Files.exists(p) ? " cannot be read" : " does not exist"), null);
      }
    }
    SslContext server;
    try {
      server = GrpcSslContexts.forServer(certificate.toFile(), key.toFile()).trustManager(trustedCa.toFile())
          .clientAuth(ClientAuth.REQUIRE).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw unreadable(certificate, key, trustedCa, e);
    }
    SslContext client;
    try {
      client = GrpcSslContexts.forClient().keyManager(certificate.toFile(), key.toFile())
          .trustManager(trustedCa.toFile()).build();
    } catch (SSLException | IllegalArgumentException e) {
      throw unreadable(certificate, key, trustedCa, e);
    }
    return new MutualTls(certificate, server, client);
  }

  private static KilnException unreadable(Path certificate, Path key, Path ca, Exception e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return new KilnException(KilnException.Kind.BINDING, "cannot use the TLS certificate " + certificate + ", key "
        + key + " and CA " + ca + " (PEM files; the key unencrypted PKCS#8, 'BEGIN PRIVATE KEY'): " + root.getMessage(),
        e);
  }

  SslContext serverContext() {
    return server;
  }

  SslContext clientContext() {
    return client;
  }

  @Override
  public String toString() {
    return "mutual TLS with the certificate " + certificate;
  }
}
