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
        @Test
        void forwardingHeadersFromAnUntrustedPeerAreIgnored() {
            FakeRequest spoofed = FakeRequest.from("203.0.113.7").header("X-Forwarded-For", "1.1.1.1")
                    .header("Forwarded", "for=2.2.2.2");
            assertThat(key("ip", spoofed)).isEqualTo("203.0.113.7");
        }

        @Test
        void trustedPeerTakesTheRightMostUntrustedHop() {
            FakeRequest request = FakeRequest.from("10.0.0.5")
                    .header("X-Forwarded-For", "6.6.6.6, 198.51.100.4, 10.1.2.3");
            assertThat(key("ip", request)).isEqualTo("198.51.100.4");
        }

        @Test
        void severalHeaderLinesAreOneList() {
            FakeRequest request = FakeRequest.from("10.0.0.5")
                    .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-For", "198.51.100.4, 192.168.1.1");
            assertThat(key("ip", request)).isEqualTo("198.51.100.4");
        }

        @Test
        void forwardedWinsOverXForwardedFor() {
            FakeRequest request = FakeRequest.from("10.0.0.5")
                    .header("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https, for=198.51.100.9;by=10.0.0.5")
                    .header("X-Forwarded-For", "7.7.7.7");
            assertThat(key("ip", request)).isEqualTo("198.51.100.9");
        }

        @Test
        void forwardedIpv6AndPortsAreUnwrapped() {
            FakeRequest request = FakeRequest.from("10.0.0.5")
                    .header("Forwarded", "For=\"[2001:db9::17]:4711\"");
            assertThat(key("ip", request)).isEqualTo("2001:db9:0:0:0:0:0:17");
            FakeRequest v4 = FakeRequest.from("10.0.0.5").header("X-Forwarded-For", "198.51.100.4:5555");
            assertThat(key("ip", v4)).isEqualTo("198.51.100.4");
        }

        @Test
        void anObfuscatedOrUnknownHopIsTakenAsWritten() {
            FakeRequest request = FakeRequest.from("10.0.0.5").header("Forwarded", "for=_hidden, for=unknown");
            assertThat(key("ip", request)).isEqualTo("unknown");
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

        @Test
        void garbageInForwardingHeadersNeverThrows() {
            FakeRequest request = FakeRequest.from("10.0.0.5").header("Forwarded", "for=\"unterminated;;,,=,\"\\")
                    .header("X-Forwarded-For", ",,,");
            assertThat(key("ip", request)).isNotNull();
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
            "0.0.0.0/0, 8.8.8.8, true",
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
    }
}
