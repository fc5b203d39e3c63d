package io.voltspike.io;

import java.io.IOException;
import java.nio.file.Path;

/** A recording file that cannot be read: the message names the file, the place and the problem. */
public final class RecordingFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public RecordingFormatException(Path file, String where, String problem) {
    super(file + (where == null || where.isEmpty() ? "" : ": " + where) + ": " + problem);
  }

  public RecordingFormatException(Path file, String where, String problem, Throwable cause) {
    super(file + (where == null || where.isEmpty() ? "" : ": " + where) + ": " + problem, cause);
  }
}
