package io.kiln.distributed.rpc;

import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
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
  /** Retries by gRPC method (its bare name), for kiln_rpc_retries_total. */
  private final Map<String, LongAdder> retries = new ConcurrentHashMap<>();

  /** {@code addresses}: {@code HOST:PORT[,HOST:PORT...]}. */
  public SchedulerEndpoints(String addresses, ClusterAuth auth) {
    this(addresses, auth, io.kiln.observe.Tracing.OFF);
  }

  /** As {@link #SchedulerEndpoints(String, ClusterAuth)}, the calls traced when tracing is on. */
  public SchedulerEndpoints(String addresses, ClusterAuth auth, io.kiln.observe.Tracing tracing) {
    for (String a : addresses.split(",")) {
      String address = a.trim();
      if (address.isEmpty()) {
        continue;
      }
      InetSocketAddress s = Rpc.address(address);
      this.addresses.add(address);
      channels.add(Rpc.channel(s.getHostString(), s.getPort(), auth, tracing));
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

  /**
   * Calls until it succeeds or fails for good, moving to the next scheduler after each passing
   * failure. {@code method} is the gRPC method called, which retries are counted under; {@code
   * what} says what the call is for, in errors.
   */
  public <T> T call(MethodDescriptor<?, ?> method, String what, Function<ManagedChannel, T> call) {
    return call(method, what, Backoff.DEFAULT, call);
  }

  /** As {@link #call(MethodDescriptor, String, Function)}, retrying a single scheduler as {@code single} says. */
  public <T> T call(MethodDescriptor<?, ?> method, String what, Backoff single, Function<ManagedChannel, T> call) {
    Backoff backoff = addresses.size() > 1 ? FAILOVER : single;
    LongAdder retried = retries.computeIfAbsent(method.getBareMethodName(), m -> new LongAdder());
    return backoff.call(what, addresses(), retried::increment, () -> once(call));
  }

  /** Retries so far, by the bare name of the gRPC method retried. */
  public Map<String, Long> retries() {
    Map<String, Long> out = new TreeMap<>();
    retries.forEach((m, n) -> out.put(m, n.sum()));
    return out;
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
