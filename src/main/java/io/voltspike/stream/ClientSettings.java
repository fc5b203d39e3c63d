package io.voltspike.stream;

import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Kafka client settings as they may be shown: every value whose key names a secret (JAAS config,
 * passwords, private keys, tokens, credentials) is replaced by {@code [hidden]}, as Kafka's own
 * config logging does for its password-typed settings.
 */
public final class ClientSettings {
  public static final String HIDDEN = "[hidden]";
  private static final Pattern SECRET =
      Pattern.compile(
          "(?i).*(password|secret|jaas|token|credential|user\\.info|\\.key$|private)" + ".*");

  private ClientSettings() {}

  public static boolean isSecret(String key) {
    return SECRET.matcher(key).matches();
  }

  /** "k1=v1, k2=[hidden], ..." in key order. */
  public static String describe(Properties p) {
    StringBuilder sb = new StringBuilder();
    for (String k : new TreeSet<>(p.stringPropertyNames())) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(k).append('=').append(isSecret(k) ? HIDDEN : p.getProperty(k));
    }
    return sb.toString();
  }
}
