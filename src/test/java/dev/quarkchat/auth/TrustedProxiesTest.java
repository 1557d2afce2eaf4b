package dev.quarkchat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The peers exempt from the per-address cap on pending connections are the proxies Quarkus trusts,
 * read from {@code quarkus.http.proxy.trusted-proxies} as Quarkus reads them.
 */
class TrustedProxiesTest {

    private static final int PORT = 40_000;

    @Test
    void withoutAddressForwardingNoPeerIsAProxy() {
        TrustedProxies proxies = TrustedProxies.from(false, Optional.of(List.of("10.0.0.0/8")));

        assertThat(proxies.contains(peer("10.1.2.3"))).isFalse();
        assertThat(proxies.everyPeer()).isFalse();
    }

    @Test
    void withAddressForwardingAndNoListEveryPeerIsAProxy() {
        TrustedProxies proxies = TrustedProxies.from(true, Optional.empty());

        assertThat(proxies.everyPeer()).isTrue();
        assertThat(proxies.contains(peer("203.0.113.9"))).isTrue();
    }

    @Test
    void networksAndAddressesMatchAndNothingElse() {
        TrustedProxies proxies =
                TrustedProxies.from(
                        true,
                        Optional.of(
                                List.of(
                                        "10.0.0.0/8",
                                        "192.168.1.5",
                                        "[::1]",
                                        "fd00::/8",
                                        "localhost")));

        assertThat(proxies.everyPeer()).isFalse();
        assertThat(proxies.contains(peer("10.200.3.4"))).isTrue();
        assertThat(proxies.contains(peer("192.168.1.5"))).isTrue();
        assertThat(proxies.contains(peer("::1"))).isTrue();
        assertThat(proxies.contains(peer("fd12:3456::1"))).isTrue();
        assertThat(proxies.contains(peer("127.0.0.1"))).isTrue();
        assertThat(proxies.contains(peer("11.0.0.1"))).isFalse();
        assertThat(proxies.contains(peer("192.168.1.6"))).isFalse();
        assertThat(proxies.contains(peer("127.0.0.2"))).isFalse();
        assertThat(proxies.contains(peer("::2"))).isFalse();
    }

    @Test
    void anAddressWithAPortMatchesThatSourcePortOnly() {
        TrustedProxies proxies =
                TrustedProxies.from(true, Optional.of(List.of("192.168.1.5:" + PORT)));

        assertThat(proxies.contains(peer("192.168.1.5"))).isTrue();
        assertThat(proxies.contains(new InetSocketAddress("192.168.1.5", PORT + 1))).isFalse();
    }

    @Test
    void hostNamesAreReportedNotMatched() {
        TrustedProxies proxies =
                TrustedProxies.from(
                        true, Optional.of(List.of("ingress.example.internal", "10.0.0.1")));

        assertThat(proxies.hostNames()).containsExactly("ingress.example.internal");
        assertThat(proxies.everyPeer()).isFalse();
        assertThat(proxies.contains(peer("10.0.0.1"))).isTrue();
    }

    private static InetSocketAddress peer(String address) {
        return new InetSocketAddress(address, PORT);
    }
}
