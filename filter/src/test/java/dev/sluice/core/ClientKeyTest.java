package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientKeyTest {

    private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.168.1.1, 2001:db8::/32");

    private static String key(String spec, RequestInfo request) {
        return ClientKey.parse(spec, PROXIES).resolve(request);
    }

    @Nested
    class Kinds {
        @Test
        void globalIsOneBucketForEverybody() {
            assertThat(key("global", FakeRequest.from("1.2.3.4"))).isEqualTo(key("global", FakeRequest.from("5.6.7.8")));
        }

        @Test
        void ipIsTheSocketPeer() {
            assertThat(key("ip", FakeRequest.from("203.0.113.9"))).isEqualTo("203.0.113.9");
        }

        @Test
        void ipv6PeersAreNormalised() {
            assertThat(key("ip", FakeRequest.from("[0:0:0:0:0:0:0:1]"))).isEqualTo(key("ip", FakeRequest.from("::1")));
        }

        @Test
        void headerQueryPathAndPrincipal() {
            FakeRequest request = FakeRequest.from("1.2.3.4").header("X-Api-Key", " k1 ").query("tenant", "t1")
                    .pathParameter("id", "42").principal("alice");
            assertThat(key("header:X-Api-Key", request)).isEqualTo("k1");
            assertThat(key("query:tenant", request)).isEqualTo("t1");
            assertThat(key("path:id", request)).isEqualTo("42");
            assertThat(key("principal", request)).isEqualTo("alice");
        }

        @Test
        void entriesOfAFallbackListNeverShareABucketEvenWithEqualValues() {
            String byHeader = key("header:X-Api-Key,ip", FakeRequest.from("5.6.7.8").header("X-Api-Key", "1.2.3.4"));
            String byAddress = key("header:X-Api-Key,ip", FakeRequest.from("1.2.3.4"));
            assertThat(byHeader).isNotEqualTo(byAddress);
        }

        @Test
        void aValueCannotPassItselfOffAsAnotherEntrysKey() {
            String byAddress = key("query:k,ip", FakeRequest.from("1.2.3.4"));
            assertThat(key("query:k,ip", FakeRequest.from("5.6.7.8").query("k", byAddress))).isNotEqualTo(byAddress);
            String anonymous = key("query:k,principal", FakeRequest.from("1.2.3.4"));
            assertThat(key("query:k,principal", FakeRequest.from("1.2.3.4").query("k", anonymous))).isNotEqualTo(anonymous);
            assertThat(key("query:k,principal", FakeRequest.from("1.2.3.4").query("k", "anonymous"))).isNotEqualTo(anonymous);
        }

        @Test
        void fallbacksAreTriedInOrder() {
            assertThat(key("header:X-Api-Key,ip", FakeRequest.from("1.2.3.4").header("X-Api-Key", "k")))
                    .isEqualTo("k");
            assertThat(key("header:X-Api-Key,ip", FakeRequest.from("1.2.3.4"))).isEqualTo("\u0001ip=1.2.3.4");
            assertThat(key("header:X-Api-Key,ip", FakeRequest.from("1.2.3.4").header("X-Api-Key", "  ")))
                    .isEqualTo("\u0001ip=1.2.3.4");
        }

        @Test
        void nothingResolvedMeansTheSharedAnonymousBucket() {
            assertThat(key("header:X-Api-Key,principal", FakeRequest.from("1.2.3.4"))).isEqualTo("\u0001anonymous");
            assertThat(key("header:X-Api-Key,principal", FakeRequest.from("5.6.7.8"))).isEqualTo("\u0001anonymous");
        }

        @Test
        void longValuesAreHashedToAFixedLength() {
            String huge = "x".repeat(10_000);
            String hashed = key("header:X-Api-Key", FakeRequest.from("1.2.3.4").header("X-Api-Key", huge));
            assertThat(hashed).startsWith("\u0001header:x-api-key#").hasSizeLessThan(70);
            assertThat(key("header:X-Api-Key", FakeRequest.from("1.2.3.4").header("X-Api-Key", huge + "y")))
                    .isNotEqualTo(hashed);
            String limit = "y".repeat(ClientKey.MAX_VALUE_LENGTH);
            assertThat(key("header:X-Api-Key", FakeRequest.from("1.2.3.4").header("X-Api-Key", limit)))
                    .isEqualTo(limit);
        }

        @Test
        void customResolverByClassName() {
            assertThat(key("class:dev.sluice.core.TenantKey,ip", FakeRequest.from("1.2.3.4").header("X-Tenant", "acme")))
                    .isEqualTo("ACME");
            assertThat(key("class:dev.sluice.core.TenantKey,ip", FakeRequest.from("1.2.3.4"))).isEqualTo("\u0001ip=1.2.3.4");
        }

        @Test
        void reportsWhetherPathParametersAreUsed() {
            assertThat(ClientKey.parse("path:id,ip", PROXIES).usesPathParameters()).isTrue();
            assertThat(ClientKey.parse("header:a,ip", PROXIES).usesPathParameters()).isFalse();
        }
    }

    @Nested
    class Proxies {

        /** The {@code ip} key behind {@link #PROXIES} that set {@code header}. */
        private static String behind(String header, RequestInfo request) {
            return ClientKey.parse("ip", PROXIES.withClientIpHeader(header)).resolve(request);
        }

        @Test
        void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
            FakeRequest spoofed = FakeRequest.from("203.0.113.7").header("X-Forwarded-For", "1.1.1.1")
                    .header("Forwarded", "for=2.2.2.2");
            assertThat(key("ip", spoofed)).isEqualTo("203.0.113.7");
            assertThat(behind("Forwarded", spoofed)).isEqualTo("203.0.113.7");
        }

        @ParameterizedTest(name = "Forwarded: {0}")
        @CsvSource(delimiter = '|', textBlock = """
                for=10.1.2.3
                for=10.1.2.4
                for=203.0.113.1
                for="[2001:db8::1]:4711"
                for=192.0.2.60;proto=http;by=203.0.113.43
                """)
        void byDefaultAClientSentForwardedBehindAnAppendingProxyIsIgnored(String forwarded) {
            // nginx with proxy_add_x_forwarded_for appends the client's address and passes its Forwarded on.
            FakeRequest request = FakeRequest.from("10.0.0.5").header("Forwarded", forwarded)
                    .header("X-Forwarded-For", "9.9.9.9");
            assertThat(key("ip", request)).isEqualTo("9.9.9.9");
        }

        @ParameterizedTest(name = "X-Forwarded-For: {0}")
        @CsvSource(delimiter = '|', textBlock = """
                1.1.1.1
                10.1.2.3
                2001:db8::1
                """)
        void withForwardedChosenAClientSentXForwardedForIsIgnored(String forwardedFor) {
            FakeRequest proxied = FakeRequest.from("10.0.0.5").header("X-Forwarded-For", forwardedFor)
                    .header("Forwarded", "for=198.51.100.9");
            assertThat(behind("Forwarded", proxied)).isEqualTo("198.51.100.9");
            // A trusted peer that writes no Forwarded (a health check, an internal caller) is the client itself.
            FakeRequest direct = FakeRequest.from("10.0.0.5").header("X-Forwarded-For", forwardedFor);
            assertThat(behind("Forwarded", direct)).isEqualTo("10.0.0.5");
        }

        @Test
        void theChosenHeaderNameIgnoresCase() {
            FakeRequest request = FakeRequest.from("10.0.0.5").header("Forwarded", "for=198.51.100.9")
                    .header("X-Forwarded-For", "1.1.1.1");
            assertThat(behind("FORWARDED", request)).isEqualTo("198.51.100.9");
            assertThat(behind("x-forwarded-for", request)).isEqualTo("1.1.1.1");
        }

        @Test
        void anyOtherHeaderIsReadAsAListOfAddressesAndNothingElseIsRead() {
            FakeRequest request = FakeRequest.from("10.0.0.5").header("CF-Connecting-IP", "198.51.100.4")
                    .header("X-Forwarded-For", "1.1.1.1").header("Forwarded", "for=2.2.2.2")
                    .header("X-Real-IP", "3.3.3.3");
            assertThat(behind("CF-Connecting-IP", request)).isEqualTo("198.51.100.4");
            assertThat(behind("X-Real-IP", request)).isEqualTo("3.3.3.3");
            assertThat(behind("X-Real-IP", FakeRequest.from("10.0.0.5").header("X-Real-IP", "6.6.6.6, 198.51.100.4, 10.1.2.3")))
                    .isEqualTo("198.51.100.4");
            assertThat(behind("X-Client-IP", request)).isEqualTo("10.0.0.5");
        }

        @Test
        void severalProxiesGiveTheRightMostUntrustedHop() {
            FakeRequest request = FakeRequest.from("10.0.0.5")
                    .header("X-Forwarded-For", "6.6.6.6, 198.51.100.4, 10.1.2.3, 192.168.1.1")
                    .header("Forwarded", "for=7.7.7.7");
            assertThat(key("ip", request)).isEqualTo("198.51.100.4");
            FakeRequest forwarded = FakeRequest.from("10.0.0.5")
                    .header("Forwarded", "for=6.6.6.6, for=198.51.100.4;proto=https")
                    .header("Forwarded", "for=\"[2001:db8::7]:443\";by=10.0.0.5, for=10.1.2.3")
                    .header("X-Forwarded-For", "7.7.7.7");
            assertThat(behind("Forwarded", forwarded)).isEqualTo("198.51.100.4");
        }

        @Test
        void severalHeaderLinesAreOneList() {
            FakeRequest request = FakeRequest.from("10.0.0.5")
                    .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-For", "198.51.100.4, 192.168.1.1");
            assertThat(key("ip", request)).isEqualTo("198.51.100.4");
        }

        @ParameterizedTest(name = "{0}: {1} -> {2}")
        @CsvSource(delimiter = '|', textBlock = """
                X-Forwarded-For  | 2001:db9::17                            | 2001:db9:0:0:0:0:0:17
                X-Forwarded-For  | 2001:DB9:0:0::17, 2001:db8::5           | 2001:db9:0:0:0:0:0:17
                X-Forwarded-For  | [2001:db9::17]:4711                     | 2001:db9:0:0:0:0:0:17
                X-Forwarded-For  | fe80::1%eth0                            | fe80:0:0:0:0:0:0:1
                X-Forwarded-For  | ::ffff:198.51.100.4                     | 198.51.100.4
                X-Forwarded-For  | 198.51.100.4, ::ffff:10.1.2.3           | 198.51.100.4
                X-Forwarded-For  | 198.51.100.4:5555                       | 198.51.100.4
                Forwarded        | for="[2001:db9::17]:4711"               | 2001:db9:0:0:0:0:0:17
                Forwarded        | For="[2001:db9::17]"                    | 2001:db9:0:0:0:0:0:17
                Forwarded        | for="[2001:db9::17]", for="[2001:db8::5]:80" | 2001:db9:0:0:0:0:0:17
                Forwarded        | for="198.51.100.4:5555"                 | 198.51.100.4
                CF-Connecting-IP | 2001:db9::17                            | 2001:db9:0:0:0:0:0:17
                """)
        void ipv6AndPortFormsInTheChosenHeader(String header, String value, String client) {
            String spoofed = header.equals("Forwarded") ? "X-Forwarded-For" : "Forwarded";
            FakeRequest request = FakeRequest.from("10.0.0.5").header(header, value)
                    .header(spoofed, header.equals("Forwarded") ? "1.1.1.1" : "for=\"[2001:db8:bad::1]\"");
            assertThat(behind(header, request)).isEqualTo(client);
        }

        @Test
        void ipv6AndMappedPeersAreMatchedAgainstTheTrustedBlocks() {
            assertThat(key("ip", FakeRequest.from("[2001:db8::9]").header("X-Forwarded-For", "198.51.100.4")
                    .header("Forwarded", "for=1.1.1.1"))).isEqualTo("198.51.100.4");
            assertThat(key("ip", FakeRequest.from("::ffff:10.0.0.5").header("X-Forwarded-For", "198.51.100.4")
                    .header("Forwarded", "for=1.1.1.1"))).isEqualTo("198.51.100.4");
            assertThat(key("ip", FakeRequest.from("::ffff:203.0.113.7").header("X-Forwarded-For", "198.51.100.4")
                    .header("Forwarded", "for=1.1.1.1"))).isEqualTo("203.0.113.7");
        }

        @ParameterizedTest(name = "{0}: {1}")
        @CsvSource(delimiter = '|', textBlock = """
                Forwarded       | for=_hidden
                Forwarded       | for=unknown
                Forwarded       | for="_hidden"
                Forwarded       | for=198.51.100.9, for=_hidden
                Forwarded       | proto=https;by=10.0.0.5
                Forwarded       | for=_hidden, for=10.1.2.3
                X-Forwarded-For | unknown
                X-Forwarded-For | _hidden
                X-Forwarded-For | 198.51.100.9, unknown
                X-Real-IP       | unknown
                """)
        void anObfuscatedOrUnknownHopFallsBackToThePeer(String header, String value) {
            FakeRequest request = FakeRequest.from("10.0.0.5").header(header, value);
            assertThat(behind(header, request)).isEqualTo("10.0.0.5");
        }

        @Test
        void anAddressRightOfAnObfuscatedHopStillNamesTheClient() {
            FakeRequest request = FakeRequest.from("10.0.0.5").header("Forwarded", "for=_hidden, for=198.51.100.9");
            assertThat(behind("Forwarded", request)).isEqualTo("198.51.100.9");
        }

        @ParameterizedTest(name = "{0}: [{1}]")
        @CsvSource(delimiter = '|', textBlock = """
                X-Forwarded-For | not-an-address
                X-Forwarded-For | 198.51.100.4 198.51.100.5
                X-Forwarded-For | 999.1.1.1
                X-Forwarded-For | 1.2.3
                X-Forwarded-For | 1.2.3.4.5
                X-Forwarded-For | "198.51.100.4"
                X-Forwarded-For | <script>alert(1)</script>
                X-Forwarded-For | 2001:db8::1::2
                X-Forwarded-For | [2001:db8::1
                X-Forwarded-For | example.com
                X-Forwarded-For | ,,,
                Forwarded       | for="unterminated;;,,=,"\\
                Forwarded       | for=
                Forwarded       | ;;;===
                Forwarded       | for=example.com
                """)
        void garbageInTheChosenHeaderFallsBackToThePeer(String header, String value) {
            FakeRequest request = FakeRequest.from("10.0.0.5").header(header, value)
                    .header(header.equals("Forwarded") ? "X-Forwarded-For" : "Forwarded", "for=1.1.1.1");
            assertThat(behind(header, request)).isEqualTo("10.0.0.5");
        }

        @Test
        void allHopsTrustedMeansTheLeftMostIsTheClient() {
            FakeRequest request = FakeRequest.from("10.0.0.5").header("X-Forwarded-For", "10.9.9.9, 10.1.1.1");
            assertThat(key("ip", request)).isEqualTo("10.9.9.9");
        }

        @Test
        void trustedPeerWithoutForwardingHeadersIsItselfTheClient() {
            assertThat(key("ip", FakeRequest.from("10.0.0.5"))).isEqualTo("10.0.0.5");
        }

        @ParameterizedTest(name = "{0} in {1}: {2}")
        @CsvSource({
            "10.0.0.0/8, 10.255.255.255, true",
            "10.0.0.0/8, 11.0.0.0, false",
            "192.168.1.0/25, 192.168.1.127, true",
            "192.168.1.0/25, 192.168.1.128, false",
            "2001:db8::/32, 2001:db8:ffff::1, true",
            "2001:db8::/32, 2001:db9::1, false",
            "::1, 0:0:0:0:0:0:0:1, true",
            "127.0.0.1, localhost, false",
            "0.0.0.0/1, 8.8.8.8, true",
            "0.0.0.0/1, 128.0.0.1, false",
        })
        void cidrMatching(String block, String address, boolean contained) {
            assertThat(TrustedProxies.parse(block).contains(address)).isEqualTo(contained);
        }
    }

    @Nested
    class Errors {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                cookie:session        | invalid key 'cookie:session': unknown key kind 'cookie:session'; expected global, ip, header:NAME, principal, query:NAME, path:NAME or class:NAME
                header:               | invalid key 'header:': expected header:NAME with a name made of letters, digits and -_., found 'header:'
                header:X Api          | invalid key 'header:X Api': expected header:NAME with a name made of letters, digits and -_., found 'header:X Api'
                ip:v4                 | invalid key 'ip:v4': 'ip' takes no argument, found 'ip:v4'
                global,ip             | invalid key 'global,ip': 'ip' follows 'global', which always resolves, so it would never be used
                ip,global             | invalid key 'ip,global': 'global' in a fallback list is the shared anonymous bucket already; leave it out
                ip,,principal         | invalid key 'ip,,principal': unknown key kind ''; expected global, ip, header:NAME, principal, query:NAME, path:NAME or class:NAME
                class:java.lang.String | invalid key 'class:java.lang.String': expected a class that implements dev.sluice.core.KeyResolver
                """)
        void badKeysAreRejectedWithTheReason(String spec, String message) {
            assertThatThrownBy(() -> ClientKey.parse(spec, PROXIES)).hasMessage(message);
        }

        @Test
        void aMissingCustomClassIsNamed() {
            assertThatThrownBy(() -> ClientKey.parse("class:com.example.Missing", PROXIES))
                    .hasMessage("invalid key 'class:com.example.Missing': cannot create it through a public no-argument"
                            + " constructor: java.lang.ClassNotFoundException: com.example.Missing");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                10.0.0.0/33     | invalid trusted proxy '10.0.0.0/33': expected a prefix length from 0 to 32 after '/'
                proxy.internal  | invalid trusted proxy 'proxy.internal': expected an IP address or a CIDR block such as 10.0.0.0/8
                10.0.0.256      | invalid trusted proxy '10.0.0.256': expected an IP address or a CIDR block such as 10.0.0.0/8
                """)
        void badTrustedProxiesAreRejected(String list, String message) {
            assertThatThrownBy(() -> TrustedProxies.parse(list)).hasMessage(message);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                0.0.0.0/0                     | IPv4
                ::/0                          | IPv6
                10.0.0.0/8, 0.0.0.0/0         | IPv4
                0.0.0.0/1, 128.0.0.0/1        | IPv4
                128.0.0.0/2, 0.0.0.0/1, 192.0.0.0/2 | IPv4
                10.1.2.3/0                    | IPv4
                ::1, ::/1, 8000::/1           | IPv6
                """)
        void aListThatTrustsEveryAddressIsRefused(String list, String family) {
            assertThatThrownBy(() -> TrustedProxies.parse(list)).hasMessage("trusted proxy list '" + list
                    + "' trusts every " + family + " address, so every client could choose its own address by sending"
                    + " the client address header; list only the addresses of your proxies");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                0.0.0.0/1
                0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3
                0.0.0.0/1, 128.0.0.0/2, 192.0.0.0/3, 224.0.0.0/4
                ::/1, 0.0.0.0/1
                """)
        void aListThatLeavesAnyAddressOutIsAccepted(String list) {
            assertThat(TrustedProxies.parse(list)).hasToString(list);
        }
    }
}
