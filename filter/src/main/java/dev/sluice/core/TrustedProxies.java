package dev.sluice.core;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The proxies in front of the application, as a list of CIDR blocks ({@code 10.0.0.0/8}) or single
 * addresses ({@code 127.0.0.1}, {@code ::1}), and the one header they set to name the client
 * ({@link #DEFAULT_CLIENT_IP_HEADER} unless {@link #withClientIpHeader changed}). That header is
 * read only on requests whose socket peer is one of these proxies; every other forwarding header is
 * ignored, whoever sent it, because a proxy that appends to one header passes the others through
 * as the client wrote them.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedProxies {

    /** The header read unless another is named: the one most proxies append the client's address to. */
    public static final String DEFAULT_CLIENT_IP_HEADER = "X-Forwarded-For";

    private static final String FORWARDED = "Forwarded";
    private static final TrustedProxies NONE = new TrustedProxies(List.of(), "", DEFAULT_CLIENT_IP_HEADER);

    private final List<Block> blocks;
    private final String text;
    private final String clientIpHeader;

    private TrustedProxies(List<Block> blocks, String text, String clientIpHeader) {
        this.blocks = List.copyOf(blocks);
        this.text = text;
        this.clientIpHeader = clientIpHeader;
    }

    /** No trusted proxies: the socket's peer is always the client. */
    public static TrustedProxies none() {
        return NONE;
    }

    /**
     * Parses a comma-separated list of addresses and CIDR blocks, whose proxies set
     * {@value #DEFAULT_CLIENT_IP_HEADER}.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address or CIDR block, or
     *         when the list trusts every IPv4 or every IPv6 address ({@code 0.0.0.0/0}, {@code ::/0}
     *         or blocks that add up to either), which would let every client choose its address
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
        for (int length : new int[] {4, 16}) {
            if (coversEverything(blocks, length)) {
                throw new IllegalArgumentException("trusted proxy list '" + list.trim() + "' trusts every "
                        + (length == 4 ? "IPv4" : "IPv6") + " address, so every client could choose its own address"
                        + " by sending the client address header; list only the addresses of your proxies");
            }
        }
        return new TrustedProxies(blocks, list.trim(), DEFAULT_CLIENT_IP_HEADER);
    }

    /**
     * The same proxies, setting {@code header} instead: {@code Forwarded} (RFC 7239, its
     * {@code for=} parameters) or any other name, such as {@code X-Real-IP} or
     * {@code CF-Connecting-IP}, read as a comma-separated list of addresses like
     * {@code X-Forwarded-For}. Header names are compared ignoring case.
     *
     * @throws IllegalArgumentException when {@code header} is not an HTTP field name (an RFC 9110 token)
     */
    public TrustedProxies withClientIpHeader(String header) {
        if (header == null || header.isEmpty() || !isToken(header)) {
            throw new IllegalArgumentException("expected the name of the header your proxies set, such as "
                    + DEFAULT_CLIENT_IP_HEADER + ", " + FORWARDED + " or CF-Connecting-IP (an HTTP field name:"
                    + " letters, digits and !#$%&'*+-.^_`|~)");
        }
        return new TrustedProxies(blocks, text, header);
    }

    /** The header that names the client on requests from these proxies. */
    public String clientIpHeader() {
        return clientIpHeader;
    }

    /** Whether the client address header is RFC 7239 {@code Forwarded}, whose syntax differs from the others. */
    boolean readsForwarded() {
        return clientIpHeader.equalsIgnoreCase(FORWARDED);
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the blocks of one address length (4 or 16 bytes) together hold every address of that
     * length: merged as ranges in order, they leave no gap from the first address to the last.
     */
    private static boolean coversEverything(List<Block> blocks, int length) {
        List<BigInteger[]> ranges = new ArrayList<>();
        for (Block block : blocks) {
            if (block.network().length == length) {
                ranges.add(block.range());
            }
        }
        ranges.sort(Comparator.comparing((BigInteger[] range) -> range[0]));
        BigInteger next = BigInteger.ZERO;
        for (BigInteger[] range : ranges) {
            if (range[0].compareTo(next) > 0) {
                return false;
            }
            next = next.max(range[1].add(BigInteger.ONE));
        }
        return next.equals(BigInteger.ONE.shiftLeft(length * 8));
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

    /** The list as configured; the client address header is {@link #clientIpHeader()}. */
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
                bits = (int) Math.min(ConfigValues.digits(entry.substring(slash + 1)), Integer.MAX_VALUE);
                if (bits < 0 || bits > maxBits) {
                    throw new IllegalArgumentException("invalid trusted proxy '" + entry
                            + "': expected a prefix length from 0 to " + maxBits + " after '/'");
                }
            }
            return new Block(address.getAddress(), bits);
        }

        /** The first and the last address of the block, as unsigned numbers. */
        BigInteger[] range() {
            int hostBits = network.length * 8 - prefixBits;
            BigInteger first = new BigInteger(1, network).shiftRight(hostBits).shiftLeft(hostBits);
            return new BigInteger[] {first, first.add(BigInteger.ONE.shiftLeft(hostBits)).subtract(BigInteger.ONE)};
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
