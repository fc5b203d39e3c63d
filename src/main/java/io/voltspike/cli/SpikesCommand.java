package io.voltspike.cli;

import io.voltspike.avro.SpikeEvent;
import io.voltspike.io.SpikeCsv;
import io.voltspike.stream.SpikeFollower;
import io.voltspike.stream.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code voltspike spikes}: follow spike events, or save them as the spikes CSV. */
@Command(
    name = "spikes",
    mixinStandardHelpOptions = true,
    description = {
      "Follow spike events in the terminal, or write them as the spikes CSV",
      "(session,neuron,sample,time_ms,probability) and exit after --idle-exit-s idle seconds."
    })
public final class SpikesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin KafkaMixin kafka;

  @Option(
      names = "--topic",
      defaultValue = Topics.SPIKES,
      description = "Default: ${DEFAULT-VALUE}.")
  String topic;

  @Option(names = "--output", description = "Write the spikes CSV here instead of printing.")
  Path output;

  @Option(
      names = "--idle-exit-s",
      defaultValue = "0",
      description =
          "Exit after this many seconds without events (0: never). Default: ${DEFAULT-VALUE}.")
  double idleExitS;

  @Option(
      names = "--session",
      description = "Follow one session only (a session id of the rig); default: every session.")
  String session;

  @Option(
      names = "--read-uncommitted",
      description = "See events before their transaction commits (lowest latency under EOS).")
  boolean readUncommitted;

  @Override
  public Integer call() throws Exception {
    if (kafka.embedded()) {
      throw new IllegalArgumentException("spikes needs --bootstrap-servers");
    }
    PrintWriter out = spec.commandLine().getOut();
    List<SpikeEvent> all = new ArrayList<>();
    long lastEvent = System.nanoTime();
    try (SpikeFollower f =
        new SpikeFollower(
            kafka.bootstrapServers, topic, readUncommitted, kafka.clientProperties())) {
      while (idleExitS <= 0 || (System.nanoTime() - lastEvent) / 1e9 < idleExitS) {
        int n =
            f.poll(
                Duration.ofMillis(100),
                e -> {
                  if (session != null && !session.equals(e.getSession())) {
                    return;
                  }
                  if (output == null) {
                    out.printf(
                        Locale.ROOT,
                        "%s %s sample %d (%.1f ms) p=%.3f latency %.1f ms%n",
                        e.getSession(),
                        e.getNeuron(),
                        e.getSample(),
                        e.getTimeMs(),
                        e.getProbability(),
                        (System.currentTimeMillis() * 1000 - e.getAcquiredAtUs()) / 1000.0);
                    out.flush();
                  } else {
                    all.add(e);
                  }
                });
        if (n > 0) {
          lastEvent = System.nanoTime();
        }
      }
    }
    if (output != null) {
      all.sort(
          Comparator.comparing(SpikeEvent::getSession)
              .thenComparing(SpikeEvent::getNeuron)
              .thenComparing(SpikeEvent::getSample));
      List<SpikeCsv.Row> rows = new ArrayList<>();
      for (SpikeEvent e : all) {
        rows.add(
            new SpikeCsv.Row(
                e.getSession(), e.getNeuron(), e.getSample(), e.getTimeMs(), e.getProbability()));
      }
      SpikeCsv.write(output, rows);
      out.printf(Locale.ROOT, "%d spikes written to %s%n", rows.size(), output);
      out.flush();
    }
    return 0;
  }
}
