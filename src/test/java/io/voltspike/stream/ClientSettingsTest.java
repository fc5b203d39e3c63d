package io.voltspike.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
  @Test
  void secretsAreHiddenEverythingElseShown() {
    Properties p = new Properties();
    p.put("security.protocol", "SASL_SSL");
    p.put("sasl.mechanism", "SCRAM-SHA-512");
    p.put("sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p\";");
    p.put("ssl.keystore.password", "k");
    p.put("ssl.key.password", "k2");
    p.put("ssl.truststore.password", "t");
    p.put("ssl.keystore.key", "-----BEGIN PRIVATE KEY-----");
    p.put("ssl.truststore.location", "/etc/voltspike/truststore.jks");
    p.put("sasl.oauthbearer.token.endpoint.url", "https://idp/token");
    p.put("basic.auth.user.info", "u:p");
    assertEquals(
        "basic.auth.user.info=[hidden], sasl.jaas.config=[hidden], sasl.mechanism=SCRAM-SHA-512,"
            + " sasl.oauthbearer.token.endpoint.url=[hidden], security.protocol=SASL_SSL,"
            + " ssl.key.password=[hidden], ssl.keystore.key=[hidden],"
            + " ssl.keystore.password=[hidden], ssl.truststore.location=/etc/voltspike/truststore.jks,"
            + " ssl.truststore.password=[hidden]",
        ClientSettings.describe(p));
  }
}
