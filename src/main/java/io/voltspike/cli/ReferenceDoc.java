package io.voltspike.cli;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.voltspike.avro.DeadLetter;
import io.voltspike.avro.FrameBlock;
import io.voltspike.avro.SpikeEvent;
import io.voltspike.avro.VoltageChunk;
import io.voltspike.metrics.MetricsServer;
import io.voltspike.stream.DeadLetterReason;
import io.voltspike.stream.DetectorInfo;
import io.voltspike.stream.StreamStats;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import picocli.CommandLine;

/**
 * docs/reference.md, generated from the code: the commands' help, which option each configuration
 * key sets, the metrics as a scrape serves them, the dead-letter reasons and the topics' schemas. A
 * test regenerates it and compares, so a command, option, metric or reason added without its
 * reference entry fails the build.
 */
public final class ReferenceDoc {
  /** Where the generated reference lives in the repository. */
  public static final String PATH = "docs/reference.md";

  private ReferenceDoc() {}

  /** The whole reference as Markdown, independent of the environment it is generated in. */
  public static String render() {
    StringBuilder b = new StringBuilder();
    b.append("# Reference\n\n")
        .append("Generated from the code by `bin/voltspike reference --output ")
        .append(PATH)
        .append("`; a test fails when it is out of date. Configuration keys are documented in ")
        .append("[`config/voltspike.properties`](../config/voltspike.properties).\n\n")
        .append("- [Commands](#commands)\n- [Configuration keys](#configuration-keys)\n")
        .append("- [Metrics](#metrics)\n- [Dead-letter reasons](#dead-letter-reasons)\n")
        .append("- [Topic schemas](#topic-schemas)\n\n");
    CommandLine root = builtInCommandLine();
    commands(b, root);
    keys(b, root);
    metrics(b);
    reasons(b);
    schemas(b);
    return b.toString();
  }

  /** The CLI with built-in defaults only (no environment, no config file). */
  static CommandLine builtInCommandLine() {
    CommandLine cl = new CommandLine(new VoltSpikeCommand());
    cl.setDefaultValueProvider(new ConfigDefaults(new Properties(), Map.of()));
    cl.setUsageHelpAutoWidth(false);
    cl.setUsageHelpWidth(100);
    return cl;
  }

  private static void commands(StringBuilder b, CommandLine root) {
    b.append("## Commands\n\n");
    b.append("```text\n").append(root.getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n\n");
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      if (e.getKey().equals("help")) {
        continue;
      }
      b.append("### ").append(e.getKey()).append("\n\n```text\n");
      b.append(e.getValue().getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n\n");
    }
  }

  private static void keys(StringBuilder b, CommandLine root) {
    b.append("## Configuration keys\n\n")
        .append("Each key sets the option of the same name in every command that has it ")
        .append("(flag first, then `VOLTSPIKE_<KEY>`, then the file, then the built-in ")
        .append("default). Kafka client settings are `kafka.*` keys.\n\n")
        .append("| key | option | commands |\n|---|---|---|\n");
    Map<String, TreeSet<String>> commands = new TreeMap<>();
    Map<String, String> option = new TreeMap<>();
    for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
      for (CommandLine.Model.OptionSpec o : e.getValue().getCommandSpec().options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        String key = ConfigDefaults.key(o);
        commands.computeIfAbsent(key, k -> new TreeSet<>()).add(e.getKey());
        option.put(key, o.longestName());
      }
    }
    commands.forEach(
        (k, cmds) ->
            b.append("| `")
                .append(k)
                .append("` | `")
                .append(option.get(k))
                .append("` | ")
                .append(String.join(", ", cmds))
                .append(" |\n"));
    b.append('\n');
  }

  private static void metrics(StringBuilder b) {
    b.append("## Metrics\n\n")
        .append("Served at `/metrics` by `run` and `demo` (`--metrics-port`). Beside these: ")
        .append("the JVM's (`jvm_*`, `process_*`) and every Kafka Streams client metric ")
        .append("(`kafka_stream_*`, `kafka_consumer_*`, `kafka_producer_*`, `kafka_admin_*`).\n\n")
        .append("| name as served | type | labels | help |\n|---|---|---|---|\n");
    StreamStats stats = new StreamStats();
    stats.neuronSpikes.put("n0", new java.util.concurrent.atomic.LongAdder());
    DetectorInfo info = new DetectorInfo("unet", "model", "cpu", 20, 10);
    Map<String, String> rows = new TreeMap<>();
    try (MetricsServer m = MetricsServer.start("127.0.0.1", 0, info, true, stats)) {
      // one observation each, so that the histograms' labels show
      stats.inference(1, 1_000_000);
      stats.spike("n0", 10_000);
      m.observeLatencySeconds(0.01);
      for (MetricSnapshot s : m.scrape()) {
        String name = s.getMetadata().getPrometheusName();
        if (!name.startsWith("voltspike_")) {
          continue;
        }
        String type;
        String served;
        if (s instanceof CounterSnapshot) {
          type = "counter";
          served = name + "_total";
        } else if (s instanceof HistogramSnapshot) {
          type = "histogram";
          served = name + "_bucket, _sum, _count";
        } else if (s instanceof GaugeSnapshot) {
          type = "gauge";
          served = name;
        } else {
          type =
              s.getClass()
                  .getSimpleName()
                  .replace("Snapshot", "")
                  .toLowerCase(java.util.Locale.ROOT);
          served = name;
        }
        TreeSet<String> labels = new TreeSet<>();
        s.getDataPoints().forEach(d -> d.getLabels().forEach(l -> labels.add(l.getName())));
        rows.put(
            name,
            "| `"
                + served
                + "` | "
                + type
                + " | "
                + String.join(", ", labels)
                + " | "
                + s.getMetadata().getHelp().replace("|", "\\|")
                + " |\n");
      }
    }
    rows.values().forEach(b::append);
    b.append(
        "\n`voltspike_consumer_lag_records` has a series per input topic once the streams run;"
            + " `voltspike_neuron_spikes_total` only with `--metrics-per-neuron`.\n\n");
  }

  private static void reasons(StringBuilder b) {
    b.append("## Dead-letter reasons\n\n")
        .append("The `reason` of a record on the dead-letter topic, and the `reason` label of ")
        .append("`voltspike_bad_records_total` (`kind` of ")
        .append("`voltspike_already_processed_chunks_total` for the skipped ones).\n\n")
        .append("| reason | outcome | when |\n|---|---|---|\n");
    for (DeadLetterReason r : DeadLetterReason.values()) {
      b.append("| `")
          .append(r.code())
          .append("` | ")
          .append(r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
          .append(" | ")
          .append(r.description())
          .append(" |\n");
    }
    b.append('\n');
  }

  private static void schemas(StringBuilder b) {
    b.append("## Topic schemas\n\n")
        .append("Avro, single-object encoded (marker `C3 01`, the schema's CRC-64-AVRO ")
        .append("fingerprint, the body); the files are in `schemas/`. Input chunks may also be ")
        .append("JSON with the same field names (docs/rig.md).\n\n");
    for (Schema s :
        new Schema[] {
          VoltageChunk.getClassSchema(),
          FrameBlock.getClassSchema(),
          SpikeEvent.getClassSchema(),
          DeadLetter.getClassSchema()
        }) {
      b.append("### ")
          .append(s.getName())
          .append("\n\n")
          .append(s.getDoc() == null ? "" : s.getDoc() + "\n\n")
          .append(
              String.format(
                  "Fingerprint `%016x`.%n%n",
                  org.apache.avro.SchemaNormalization.parsingFingerprint64(s)))
          .append("| field | type | doc |\n|---|---|---|\n");
      for (Schema.Field f : s.getFields()) {
        b.append("| `")
            .append(f.name())
            .append("` | `")
            .append(f.schema().toString())
            .append("` | ")
            .append(f.doc() == null ? "" : f.doc().replace("|", "\\|"))
            .append(" |\n");
      }
      b.append('\n');
    }
  }
}
