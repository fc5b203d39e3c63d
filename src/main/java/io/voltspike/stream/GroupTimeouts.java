package io.voltspike.stream;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;

/**
 * The consumer-group and transaction timeouts the detector runs with, fitted to what the Kafka
 * cluster allows. Failover speed is bounded by the session timeout (how long a dead instance keeps
 * its partitions) and the transaction timeout (how long its open transaction blocks read_committed
 * readers). The detector wants both short; a broker refuses a session timeout below its {@code
 * group.min.session.timeout.ms} (6 s at Kafka's defaults), and every join would then fail. So the
 * job asks the cluster first ({@link BrokerLimits#describe}) and takes the fastest allowed value,
 * never below {@link #PREFERRED_SESSION_MS}. A value the user set explicitly is kept, or refused in
 * one line naming the broker setting when the cluster would refuse it.
 *
 * @param sessionTimeoutMs the consumers' {@code session.timeout.ms}
 * @param heartbeatIntervalMs the consumers' {@code heartbeat.interval.ms} (a third of the session)
 * @param transactionTimeoutMs the producers' {@code transaction.timeout.ms}
 * @param limits what the cluster was found to allow
 * @param chosen whether the session timeout was chosen here (false: the user's own setting)
 */
public record GroupTimeouts(
    int sessionTimeoutMs,
    int heartbeatIntervalMs,
    int transactionTimeoutMs,
    BrokerLimits limits,
    boolean chosen) {

  /** The session timeout the detector prefers: a dead instance is noticed within 3 s. */
  public static final int PREFERRED_SESSION_MS = 3000;

  /** The transaction timeout the detector prefers. */
  public static final int PREFERRED_TRANSACTION_MS = 3000;

  /**
   * The session timeout used when the cluster's limits cannot be read (describing broker configs
   * needs the DescribeConfigs permission on the cluster): inside Kafka's default range (6 s to 30
   * min) and that of the usual managed services.
   */
  public static final int FALLBACK_SESSION_MS = 10_000;

  private static final List<String> SESSION_KEYS =
      List.of(
          "main.consumer.session.timeout.ms", "consumer.session.timeout.ms", "session.timeout.ms");
  private static final List<String> HEARTBEAT_KEYS =
      List.of(
          "main.consumer.heartbeat.interval.ms",
          "consumer.heartbeat.interval.ms",
          "heartbeat.interval.ms");
  private static final List<String> TRANSACTION_KEYS =
      List.of("producer.transaction.timeout.ms", "transaction.timeout.ms");

  /**
   * What a Kafka cluster allows, read from one broker's configuration.
   *
   * @param minSessionMs {@code group.min.session.timeout.ms}
   * @param maxSessionMs {@code group.max.session.timeout.ms}
   * @param maxTransactionMs {@code transaction.max.timeout.ms}
   * @param abortCheckMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}
   * @param known false when the configuration could not be read (then Kafka's defaults are assumed
   *     and {@code unknownReason} says why)
   */
  public record BrokerLimits(
      int minSessionMs,
      int maxSessionMs,
      int maxTransactionMs,
      long abortCheckMs,
      boolean known,
      String unknownReason) {

    /** Kafka's own broker defaults. */
    public static BrokerLimits kafkaDefaults(String why) {
      return new BrokerLimits(6000, 1_800_000, 900_000, 10_000, false, why);
    }

    /**
     * Reads the limits from a broker of the cluster; the cluster's defaults when it refuses.
     *
     * @param adminProps Admin client properties (bootstrap servers, security settings)
     * @throws IllegalStateException when the cluster cannot be reached at all
     */
    public static BrokerLimits describe(Properties adminProps) {
      try (Admin admin = Admin.create(adminProps)) {
        Collection<Node> nodes = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
        if (nodes.isEmpty()) {
          return kafkaDefaults("the cluster listed no broker");
        }
        ConfigResource broker =
            new ConfigResource(
                ConfigResource.Type.BROKER, Integer.toString(nodes.iterator().next().id()));
        Map<ConfigResource, Config> configs =
            admin.describeConfigs(List.of(broker)).all().get(20, TimeUnit.SECONDS);
        Config c = configs.get(broker);
        BrokerLimits d = kafkaDefaults(null);
        return new BrokerLimits(
            (int) number(c, "group.min.session.timeout.ms", d.minSessionMs),
            (int) number(c, "group.max.session.timeout.ms", d.maxSessionMs),
            (int) number(c, "transaction.max.timeout.ms", d.maxTransactionMs),
            number(
                c, "transaction.abort.timed.out.transaction.cleanup.interval.ms", d.abortCheckMs),
            true,
            null);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof org.apache.kafka.common.errors.AuthorizationException
            || cause instanceof org.apache.kafka.common.errors.UnsupportedVersionException) {
          return kafkaDefaults(cause.getMessage());
        }
        throw new IllegalStateException(
            "cannot reach the Kafka cluster at "
                + adminProps.getProperty("bootstrap.servers")
                + ": "
                + cause.getMessage(),
            e);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(
            "cannot reach the Kafka cluster at "
                + adminProps.getProperty("bootstrap.servers")
                + ": no answer within 20 s",
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while reading the cluster's limits", e);
      }
    }

    private static long number(Config c, String key, long fallback) {
      ConfigEntry e = c == null ? null : c.get(key);
      if (e == null || e.value() == null || e.value().isBlank()) {
        return fallback;
      }
      try {
        return Long.parseLong(e.value().strip());
      } catch (NumberFormatException ex) {
        return fallback;
      }
    }
  }

  /**
   * Fits the timeouts to the cluster.
   *
   * @param explicit the Kafka settings the user gave (the job's {@code kafka.*} keys): a timeout
   *     set there is kept, or refused when the cluster would refuse it
   * @throws IllegalArgumentException naming the broker setting, when the user's own timeout lies
   *     outside what the cluster allows
   */
  public static GroupTimeouts fit(BrokerLimits limits, Properties explicit) {
    Properties ex = explicit == null ? new Properties() : explicit;
    Integer userSession = first(ex, SESSION_KEYS);
    Integer userTransaction = first(ex, TRANSACTION_KEYS);
    int session;
    if (userSession != null) {
      if (userSession < limits.minSessionMs || userSession > limits.maxSessionMs) {
        throw new IllegalArgumentException(
            "the Kafka cluster refuses consumer session timeout "
                + userSession
                + " ms: its group.min.session.timeout.ms is "
                + limits.minSessionMs
                + " and group.max.session.timeout.ms "
                + limits.maxSessionMs
                + "; set kafka.consumer.session.timeout.ms within that range (or leave it unset"
                + " and the job picks one)");
      }
      session = userSession;
    } else if (limits.known) {
      session = Math.min(Math.max(PREFERRED_SESSION_MS, limits.minSessionMs), limits.maxSessionMs);
    } else {
      session = FALLBACK_SESSION_MS;
    }
    Integer userHeartbeat = first(ex, HEARTBEAT_KEYS);
    int heartbeat = userHeartbeat != null ? userHeartbeat : Math.max(1, session / 3);
    int transaction;
    if (userTransaction != null) {
      if (userTransaction > limits.maxTransactionMs) {
        throw new IllegalArgumentException(
            "the Kafka cluster refuses transaction timeout "
                + userTransaction
                + " ms: its transaction.max.timeout.ms is "
                + limits.maxTransactionMs
                + "; set kafka.producer.transaction.timeout.ms at most that");
      }
      transaction = userTransaction;
    } else {
      transaction = Math.min(PREFERRED_TRANSACTION_MS, limits.maxTransactionMs);
    }
    return new GroupTimeouts(session, heartbeat, transaction, limits, userSession == null);
  }

  private static Integer first(Properties p, List<String> keys) {
    for (String k : keys) {
      String v = p.getProperty(k);
      if (v != null) {
        try {
          return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(
              "invalid Kafka setting kafka." + k + "=" + v + ": not a number of milliseconds");
        }
      }
    }
    return null;
  }

  /** Puts the timeouts into Kafka Streams properties (the keys the job itself uses). */
  public void applyTo(Properties streamsProps) {
    SESSION_KEYS.forEach(streamsProps::remove);
    HEARTBEAT_KEYS.forEach(streamsProps::remove);
    TRANSACTION_KEYS.forEach(streamsProps::remove);
    streamsProps.put("consumer.session.timeout.ms", Integer.toString(sessionTimeoutMs));
    streamsProps.put("consumer.heartbeat.interval.ms", Integer.toString(heartbeatIntervalMs));
    streamsProps.put("producer.transaction.timeout.ms", Integer.toString(transactionTimeoutMs));
  }

  /** One line for the start-up log: what was chosen, why, and the failover time it means. */
  public String describe() {
    String why;
    if (!chosen) {
      why = "as configured";
    } else if (!limits.known) {
      why =
          "the cluster's group.min.session.timeout.ms could not be read ("
              + limits.unknownReason
              + "), so a safe "
              + FALLBACK_SESSION_MS / 1000
              + " s";
    } else if (sessionTimeoutMs > PREFERRED_SESSION_MS) {
      why =
          "the fastest the cluster allows (group.min.session.timeout.ms="
              + limits.minSessionMs
              + ")";
    } else {
      why = "the detector's preferred value (the cluster allows " + limits.minSessionMs + " ms)";
    }
    return String.format(
        java.util.Locale.ROOT,
        "consumer session timeout %.1f s, %s; failover: a dead instance's neurons move after about"
            + " %.1f s, and its open transaction holds back read_committed readers for up to %.1f s"
            + " (transaction timeout %.1f s + the brokers' abort check every %.1f s)",
        sessionTimeoutMs / 1000.0,
        why,
        sessionTimeoutMs / 1000.0,
        (transactionTimeoutMs + limits.abortCheckMs) / 1000.0,
        transactionTimeoutMs / 1000.0,
        limits.abortCheckMs / 1000.0);
  }
}
