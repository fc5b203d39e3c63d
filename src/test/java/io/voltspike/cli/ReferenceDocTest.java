package io.voltspike.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.voltspike.avro.DeadLetter;
import io.voltspike.stream.DeadLetterReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The generated reference is current, and the rest of the docs name only what exists. */
class ReferenceDocTest {
  @Test
  void theReferenceIsCurrent() throws Exception {
    String onDisk = Files.readString(Path.of(ReferenceDoc.PATH));
    assertEquals(
        ReferenceDoc.render(),
        onDisk,
        ReferenceDoc.PATH
            + " is out of date: run bin/voltspike reference --output "
            + ReferenceDoc.PATH);
  }

  @Test
  void theDeadLetterSchemaListsExactlyTheReasonsThatAreDeadLettered() {
    String doc = DeadLetter.getClassSchema().getField("reason").doc();
    Matcher m = Pattern.compile("one of: ([a-z_, ]+) \\(").matcher(doc);
    org.junit.jupiter.api.Assertions.assertTrue(m.find(), doc);
    Set<String> listed = new TreeSet<>(Arrays.asList(m.group(1).split(",\\s*")));
    Set<String> produced =
        Arrays.stream(DeadLetterReason.values())
            .filter(r -> r.outcome() == DeadLetterReason.Outcome.DEAD_LETTERED)
            .map(DeadLetterReason::code)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(produced, listed, "schemas/DeadLetter.avsc vs DeadLetterReason");
  }

  @Test
  void everyMetricNamedInTheDocsIsServedUnderThatName() throws Exception {
    String reference = Files.readString(Path.of(ReferenceDoc.PATH));
    Set<String> served = new TreeSet<>();
    Matcher rows = Pattern.compile("(?m)^\\| `(voltspike_[a-z_]+)[`,]").matcher(reference);
    while (rows.find()) {
      String n = rows.group(1);
      served.add(n);
    }
    // histogram rows list the _bucket series; _sum and _count exist as well
    for (String n : List.copyOf(served)) {
      if (n.endsWith("_bucket")) {
        String base = n.substring(0, n.length() - "_bucket".length());
        served.add(base); // the histogram's family name, as PromQL's histogram_quantile uses
        served.add(base + "_sum");
        served.add(base + "_count");
      }
    }
    List<Path> files;
    try (Stream<Path> docs = Files.list(Path.of("docs"));
        Stream<Path> cfg = Files.list(Path.of("config"));
        Stream<Path> graf = Files.walk(Path.of("grafana"))) {
      files =
          Stream.of(docs, cfg, graf)
              .flatMap(s -> s)
              .filter(Files::isRegularFile)
              .filter(f -> !f.toString().equals(ReferenceDoc.PATH))
              .collect(Collectors.toList());
    }
    files.add(Path.of("README.md"));
    Set<String> unknown = new TreeSet<>();
    Pattern name = Pattern.compile("\\bvoltspike_[a-z_]+[a-z]");
    for (Path f : files) {
      Matcher m = name.matcher(Files.readString(f));
      while (m.find()) {
        if (!served.contains(m.group())) {
          unknown.add(f + ": " + m.group());
        }
      }
    }
    assertEquals(Set.of(), unknown, "metric names not served (served: " + served + ")");
  }
}
