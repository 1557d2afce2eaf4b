package dev.quarkchat.auth;

import io.quarkus.runtime.configuration.CidrAddressConverter;
import io.quarkus.runtime.configuration.InetSocketAddressConverter;
import io.smallrye.common.net.CidrAddress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The peers Quarkus takes for proxies: with {@code quarkus.http.proxy.proxy-address-forwarding} on,
 * those that {@code quarkus.http.proxy.trusted-proxies} lists, or every peer when it lists none
 * (Quarkus then believes anyone's forwarding headers). Entries are read as Quarkus reads them: a
 * CIDR network, or an address with an optional port (the proxy's source port). A host name would
 * need a DNS lookup per connection, so it is left out here and reported by {@link #hostNames()}.
 */
final class TrustedProxies {

    private static final String CIDR = ".+/\\d+";
    private static final String LOCALHOST = "localhost";
    private static final String LOOPBACK = "127.0.0.1";
    private static final int ANY_PORT = 0;

    private final boolean everyPeer;
    private final List<Predicate<InetSocketAddress>> entries;
    private final List<String> hostNames;

    private TrustedProxies(
            boolean everyPeer, List<Predicate<InetSocketAddress>> entries, List<String> hostNames) {
        this.everyPeer = everyPeer;
        this.entries = entries;
        this.hostNames = hostNames;
    }

    static TrustedProxies from(boolean addressForwarding, Optional<List<String>> trustedProxies) {
        if (!addressForwarding) {
            return new TrustedProxies(false, List.of(), List.of());
        }
        List<String> listed = trustedProxies.orElse(List.of());
        List<Predicate<InetSocketAddress>> entries = new ArrayList<>();
        List<String> hostNames = new ArrayList<>();
        for (String entry : listed) {
            String proxy = entry.trim();
            if (proxy.matches(CIDR)) {
                CidrAddress network = new CidrAddressConverter().convert(proxy);
                entries.add(peer -> network.matches(peer.getAddress()));
                continue;
            }
            // As Quarkus does: no lookup for localhost.
            String literal = LOCALHOST.equals(proxy) ? LOOPBACK : proxy;
            InetSocketAddress address = new InetSocketAddressConverter().convert(literal);
            if (address.isUnresolved()) {
                hostNames.add(proxy);
                continue;
            }
            InetAddress host = address.getAddress();
            int port = address.getPort();
            entries.add(
                    peer ->
                            host.equals(peer.getAddress())
                                    && (port == ANY_PORT || port == peer.getPort()));
        }
        return new TrustedProxies(listed.isEmpty(), List.copyOf(entries), List.copyOf(hostNames));
    }

    /** Whether Quarkus takes this peer for a proxy and believes its forwarding headers. */
    boolean contains(InetSocketAddress peer) {
        if (everyPeer) {
            return true;
        }
        for (Predicate<InetSocketAddress> entry : entries) {
            if (entry.test(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every peer is taken for a proxy: forwarding is on, and no trusted proxy is listed.
     */
    boolean everyPeer() {
        return everyPeer;
    }

    /** The entries given as host names, which {@link #contains} does not match. */
    List<String> hostNames() {
        return hostNames;
    }
}
