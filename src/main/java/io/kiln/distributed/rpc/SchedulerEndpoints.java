package io.kiln.distributed.rpc;

import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The scheduler as workers and clients reach it: one address, or the addresses of several
 * schedulers of which one leads and the others stand by. A call that fails for a reason that may
 * pass (the leader died, a standby refused it) moves on to the next address; with several, calls
 * are retried long enough to ride out a failover (the dead leader's ZooKeeper session expiring,
 * then a standby taking over).
 */
public final class SchedulerEndpoints implements AutoCloseable {
  /**
   * About a minute of retries in all: a session timeout of a few seconds, and the takeover, on a
   * loaded machine too.
   */
  private static final Backoff FAILOVER = new Backoff(120, 100, 1_000);

  private final List<String> addresses = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile int current;

  /** {@code addresses}: {@code HOST:PORT[,HOST:PORT...]}. */
  public SchedulerEndpoints(String addresses, ClusterAuth auth) {
    for (String a : addresses.split(",")) {
      String address = a.trim();
      if (address.isEmpty()) {
        continue;
      }
      InetSocketAddress s = Rpc.address(address);
      this.addresses.add(address);
      channels.add(Rpc.channel(s.getHostString(), s.getPort(), auth));
    }
    if (this.addresses.isEmpty()) {
      throw new IllegalArgumentException("no scheduler address in '" + addresses + "'");
    }
  }

  /** All the addresses, as given. */
  public String addresses() {
    return String.join(",", addresses);
  }

  /** The address calls go to now. */
  public String current() {
    return addresses.get(current);
  }

  /** Calls until it succeeds or fails for good, moving to the next scheduler after each passing failure. */
  public <T> T call(String what, Function<ManagedChannel, T> call) {
    return call(what, Backoff.DEFAULT, call);
  }

  /** As {@link #call(String, Function)}, retrying a single scheduler as {@code single} says. */
  public <T> T call(String what, Backoff single, Function<ManagedChannel, T> call) {
    Backoff backoff = addresses.size() > 1 ? FAILOVER : single;
    return backoff.call(what, addresses(), () -> once(call));
  }

  /** One try at the current scheduler; a passing failure moves the next call on to the next one. */
  public <T> T once(Function<ManagedChannel, T> call) {
    int at = current;
    try {
      return call.apply(channels.get(at));
    } catch (RuntimeException e) {
      if (RemoteErrors.isTransient(e) && addresses.size() > 1) {
        synchronized (this) {
          if (current == at) {
            current = (at + 1) % addresses.size();
          }
        }
      }
      throw e;
    }
  }

  @Override
  public void close() {
    channels.forEach(Rpc::shutdown);
  }
}
