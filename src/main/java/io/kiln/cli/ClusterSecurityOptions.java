package io.kiln.cli;

import io.kiln.Kiln;
import io.kiln.distributed.rpc.ClusterAuth;
import io.kiln.distributed.rpc.MutualTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a cluster's processes and clients prove who they are: a shared secret, mutual TLS, or both. */
final class ClusterSecurityOptions {
  @Option(names = "--secret-file", paramLabel = "FILE",
      description = "File holding the cluster's shared secret: every call carries a token made from it.")
  private Path secretFile;

  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Mutual TLS: this process's certificate (it must name the host others dial); with --tls-key and --tls-ca.")
  private Path tlsCertificate;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "Mutual TLS: the certificate's private key (unencrypted PKCS#8).")
  private Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "Mutual TLS: the CA that signed the cluster's certificates; peers without one are refused.")
  private Path tlsCa;

  /**
   * For a process listening on {@code host}: cluster calls carry plans and rows, so beyond
   * loopback every call must be authenticated, by the shared secret or by mutual TLS.
   */
  ClusterAuth forServer(CommandSpec spec, String host) {
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--host " + host + " does not resolve: " + e.getMessage());
    }
    ClusterAuth auth = auth(spec);
    if (!loopback && !auth.enabled()) {
      throw new ParameterException(spec.commandLine(), "--host " + host + " is not a loopback address: a cluster"
          + " reachable from other machines needs --secret-file FILE (a file holding the cluster's shared secret), or"
          + " --tls-cert, --tls-key and --tls-ca (mutual TLS), given to every scheduler, worker and client of it");
    }
    return auth;
  }

  /** For a client of a cluster: the secret or certificates it was given, if any. */
  void applyTo(CommandSpec spec, Kiln.Builder builder) {
    checkTlsComplete(spec);
    if (secretFile != null) {
      builder.clusterSecret(secretFile);
    }
    if (tlsCertificate != null) {
      builder.clusterTls(tlsCertificate, tlsKey, tlsCa);
    }
  }

  /** --tls-cert, or null: kiln server also serves its clients TLS with this certificate and key. */
  Path tlsCertificate() {
    return tlsCertificate;
  }

  Path tlsKey() {
    return tlsKey;
  }

  /** For a process calling the cluster's services directly. */
  ClusterAuth forClient(CommandSpec spec) {
    return auth(spec);
  }

  private ClusterAuth auth(CommandSpec spec) {
    checkTlsComplete(spec);
    ClusterAuth auth = secretFile == null ? ClusterAuth.NONE : ClusterAuth.sharedSecret(secretFile);
    return tlsCertificate == null ? auth : auth.withTls(MutualTls.fromPem(tlsCertificate, tlsKey, tlsCa));
  }

  private void checkTlsComplete(CommandSpec spec) {
    int given = (tlsCertificate == null ? 0 : 1) + (tlsKey == null ? 0 : 1) + (tlsCa == null ? 0 : 1);
    if (given != 0 && given != 3) {
      throw new ParameterException(spec.commandLine(), "mutual TLS needs all of --tls-cert, --tls-key and --tls-ca;"
          + " missing " + (tlsCertificate == null ? "--tls-cert " : "") + (tlsKey == null ? "--tls-key " : "")
          + (tlsCa == null ? "--tls-ca" : "").strip());
    }
  }
}
