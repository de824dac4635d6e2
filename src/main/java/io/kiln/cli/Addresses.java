package io.kiln.cli;

import io.kiln.distributed.rpc.ClusterAuth;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks on the addresses cluster processes listen on, and the authentication that goes with them. */
final class Addresses {
  private Addresses() {}

  /**
   * The authentication for a cluster process listening on {@code host}: cluster calls carry plans
   * and rows, so beyond loopback every call must carry the cluster's shared secret.
   */
  static ClusterAuth auth(CommandSpec spec, String host, Path secretFile) {
    boolean loopback;
    try {
      loopback = InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--host " + host + " does not resolve: " + e.getMessage());
    }
    if (!loopback && secretFile == null) {
      throw new ParameterException(spec.commandLine(), "--host " + host + " is not a loopback address: a cluster"
          + " reachable from other machines needs --secret-file FILE, a file holding the cluster's shared secret"
          + " that every scheduler, worker and client of it is given");
    }
    return secretFile == null ? ClusterAuth.NONE : ClusterAuth.sharedSecret(secretFile);
  }
}
