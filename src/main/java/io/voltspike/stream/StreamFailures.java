package io.voltspike.stream;

import org.apache.kafka.common.errors.RetriableException;

/**
 * Sorts the errors that end a stream thread into the two kinds a job must treat differently. A
 * retriable error (a broker briefly gone, a leader moving, a timed-out request) is worth a new
 * thread; anything else (authorisation, a setting the cluster refuses, a topic that does not exist,
 * a bug) fails again at once, so replacing the thread only loops: the job must stop and say why.
 */
public final class StreamFailures {
  private StreamFailures() {}

  /** Whether anything in the cause chain is one of Kafka's retriable errors. */
  public static boolean retriable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The innermost cause's message on one line, with its type when the message is missing: what a
   * user needs to read (Kafka Streams wraps the real error in one or two layers of its own).
   */
  public static String oneLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage();
    String text =
        msg == null || msg.isBlank()
            ? root.getClass().getSimpleName()
            : root.getClass().getSimpleName() + ": " + msg;
    return text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
