package io.kiln.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks on the addresses cluster processes listen on. */
final class Addresses {
  private Addresses() {}

  /**
   * Cluster RPCs carry plans and rows unauthenticated, so processes listen on loopback only until
   * authentication (a shared secret or mutual TLS) is available.
   */
  static void requireLoopback(CommandSpec spec, String host) {
    try {
      if (!InetAddress.getByName(host).isLoopbackAddress()) {
        throw new ParameterException(spec.commandLine(), "--host " + host + " is not a loopback address; cluster"
            + " processes listen on loopback only, since authentication of cluster calls is not available yet");
      }
    } catch (UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--host " + host + " does not resolve: " + e.getMessage());
    }
  }
}
