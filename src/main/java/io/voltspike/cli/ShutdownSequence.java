package io.voltspike.cli;

import io.voltspike.detect.Detectors;
import io.voltspike.model.SharedModels;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one shutdown hook, so that shutdown happens in order: the resources commands
 * registered (stream apps, brokers, metrics servers) are closed last-registered first, and only
 * then the shared ONNX Runtime sessions. Separate hooks run concurrently in the JVM: a model closed
 * while a stream thread still ran inference crashed the JVM inside ONNX Runtime. On SIGTERM or
 * Ctrl-C the process then exits 0 (a requested stop is not a failure); a normal exit keeps its own
 * code.
 */
public final class ShutdownSequence {
  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);
  private static final Deque<Registration> RESOURCES = new ArrayDeque<>();
  private static boolean installed;
  private static SharedModels models;
  private static volatile boolean exiting;

  private ShutdownSequence() {}

  /** A registered resource; closing it closes the resource (once) and unregisters it. */
  public static final class Registration implements AutoCloseable {
    private final String name;
    private final AutoCloseable resource;
    private boolean closed;

    private Registration(String name, AutoCloseable resource) {
      this.name = name;
      this.resource = resource;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      synchronized (ShutdownSequence.class) {
        RESOURCES.remove(this);
      }
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", name, e.toString());
      }
    }
  }

  /** Installs the hook (once per process). */
  public static synchronized void install() {
    if (!installed) {
      installed = true;
      Runtime.getRuntime().addShutdownHook(new Thread(ShutdownSequence::run, "voltspike-stop"));
    }
  }

  /** Registers a resource to close at shutdown, before the models and after later ones. */
  public static synchronized Registration register(String name, AutoCloseable resource) {
    install();
    Registration r = new Registration(name, resource);
    RESOURCES.push(r);
    return r;
  }

  /**
   * The process's model sessions, created on first use and closed by the hook after everything
   * registered has stopped: the CLI is the one owner of the models a command's detectors share.
   */
  public static synchronized SharedModels models() {
    if (models == null) {
      models = new SharedModels();
    }
    return models;
  }

  /** A detector registry on the process's model sessions. */
  public static Detectors detectors() {
    return new Detectors(models());
  }

  /** Exits with {@code code} through the ordered sequence (the normal end of a command). */
  public static void exit(int code) {
    exiting = true;
    System.exit(code);
  }

  /** Closes everything registered, then the models; after a signal, exits 0. */
  static void run() {
    while (true) {
      Registration r;
      synchronized (ShutdownSequence.class) {
        r = RESOURCES.peek();
      }
      if (r == null) {
        break;
      }
      r.close();
    }
    SharedModels m;
    synchronized (ShutdownSequence.class) {
      m = models;
    }
    if (m != null) {
      m.close();
    }
    if (!exiting) {
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(0);
    }
  }
}
