package dev.sluice.core;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxies whose {@code Forwarded} and {@code X-Forwarded-For} headers are believed, as a list
 * of CIDR blocks ({@code 10.0.0.0/8}) or single addresses ({@code 127.0.0.1}, {@code ::1}).
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    private final List<Block> blocks;
    private final String text;

    private TrustedProxies(List<Block> blocks, String text) {
        this.blocks = List.copyOf(blocks);
        this.text = text;
    }

    /** No trusted proxies: the socket's peer is always the client. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses a comma-separated list of addresses and CIDR blocks.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR block
     */
    public static TrustedProxies parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<Block> blocks = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("empty entry in trusted proxy list '" + list + "'");
            }
            blocks.add(Block.parse(entry));
        }
        return new TrustedProxies(blocks, list.trim());
    }

    /** Whether the address (an IP literal) belongs to a trusted proxy. */
    public boolean contains(String address) {
        if (blocks.isEmpty()) {
            return false;
        }
        InetAddress parsed = InetAddresses.parse(address);
        return parsed != null && contains(parsed);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }

    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed
    private record Block(byte[] network, int prefixBits) {

        static Block parse(String entry) {
            int slash = entry.indexOf('/');
            String addressPart = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress address = InetAddresses.parse(addressPart);
            if (address == null) {
                throw new IllegalArgumentException("invalid trusted proxy '" + entry
                        + "': expected an IP address or a CIDR block such as 10.0.0.0/8");
            }
            int maxBits = address.getAddress().length * 8;
            int bits = maxBits;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > maxBits) {
                    throw new IllegalArgumentException("invalid trusted proxy '" + entry
                            + "': expected a prefix length from 0 to " + maxBits + " after '/'");
                }
            }
            return new Block(address.getAddress(), bits);
        }

        boolean contains(byte[] candidate) {
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefixBits / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
