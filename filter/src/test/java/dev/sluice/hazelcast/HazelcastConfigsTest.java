package dev.sluice.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.config.YamlConfigBuilder;
import com.hazelcast.nio.serialization.StreamSerializer;

import dev.sluice.core.ConfigurationException;
import io.github.bucket4j.grid.hazelcast.HazelcastEntryProcessor;
import io.github.bucket4j.grid.hazelcast.HazelcastOffloadableEntryProcessor;
import io.github.bucket4j.grid.hazelcast.SimpleBackupProcessor;
import io.github.bucket4j.grid.hazelcast.VersionedBackupProcessor;

/** The Hazelcast configuration Sluice builds for the members and clients it starts. */
class HazelcastConfigsTest {

    @TempDir
    Path directory;

    @Test
    void anEmbeddedMemberJoinsByTcpIpOnItsInterfaceOnly() {
        Config config = HazelcastConfigs.member(TestGrid.settings(
                "sluice.hazelcast.cluster-name", "shop",
                "sluice.hazelcast.port", "5702",
                "sluice.hazelcast.interface", "10.0.0.5",
                "sluice.hazelcast.members", "10.0.0.5:5701,10.0.0.6:5702"));
        assertThat(config.getClusterName()).isEqualTo("shop");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5702);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.5");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.5:5701", "10.0.0.6:5702");
        assertSluiceDefaults(config);
    }

    @Test
    void aMemberFromTheUsersOwnFileGetsTheSerializersAndTheMapButKeepsWhatTheFileSets() throws Exception {
        Path file = directory.resolve("hz.yaml");
        Files.writeString(file, """
                hazelcast:
                  cluster-name: from-file
                  properties:
                    hazelcast.phone.home.enabled: true
                  network:
                    join:
                      multicast:
                        enabled: false
                  map:
                    sluice-buckets:
                      backup-count: 2
                """);
        Config config = HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "file:" + file));
        assertThat(config.getClusterName()).isEqualTo("from-file");
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("true");
        assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        assertThat(config.getMapConfig("sluice-buckets").getBackupCount()).isEqualTo(2);
        assertBounded(config.getMapConfig("sluice-buckets").getEvictionConfig(), 100_000);
        assertSerializers(config.getSerializationConfig());
    }

    @Test
    void theBucketMapIsBoundedPerMemberByMaxKeys() {
        Config config = HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.max-keys", "5000"));
        assertBounded(config.getMapConfig("sluice-buckets").getEvictionConfig(), 5000);
    }

    @Test
    void aFileThatBoundsTheBucketMapItselfKeepsItsOwnEviction() throws Exception {
        Path file = directory.resolve("bounded.yaml");
        Files.writeString(file, """
                hazelcast:
                  map:
                    sluice-buckets:
                      eviction:
                        eviction-policy: LFU
                        max-size-policy: USED_HEAP_SIZE
                        size: 64
                """);
        Config config = HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "file:" + file));
        EvictionConfig eviction = config.getMapConfig("sluice-buckets").getEvictionConfig();
        assertThat(eviction.getEvictionPolicy()).isEqualTo(EvictionPolicy.LFU);
        assertThat(eviction.getMaxSizePolicy()).isEqualTo(MaxSizePolicy.USED_HEAP_SIZE);
        assertThat(eviction.getSize()).isEqualTo(64);

        assertThatThrownBy(() -> HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "file:" + file,
                "sluice.hazelcast.max-keys", "5000")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.hazelcast.max-keys=5000: conflicts with the eviction that sluice.hazelcast.config=file:" + file
                        + " configures for the map sluice-buckets; set its size in that Hazelcast file instead");
    }

    /** Sluice cannot configure a cluster its clients connect to: the README's member file bounds the map itself. */
    @Test
    void theReadmesStandaloneMemberBoundsTheBucketMap() throws Exception {
        Properties variables = new Properties();
        variables.setProperty("cluster", "standalone");
        variables.setProperty("port", "5701");
        try (InputStream yaml = HazelcastConfigsTest.class.getResourceAsStream("standalone-member.yaml")) {
            Config config = new YamlConfigBuilder(yaml).setProperties(variables).build();
            assertBounded(config.getMapConfig("sluice-buckets").getEvictionConfig(), 100_000);
        }
    }

    @Test
    void theBucketMapGetsItsBoundOnACopyOfAWildcardMapOfTheFileLeavingTheWildcardAsItIs() throws Exception {
        Path file = directory.resolve("wildcard.yaml");
        Files.writeString(file, """
                hazelcast:
                  map:
                    sluice-*:
                      backup-count: 2
                """);
        Config config = HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "file:" + file,
                "sluice.hazelcast.max-keys", "700"));
        assertThat(config.getMapConfig("sluice-buckets").getBackupCount()).isEqualTo(2);
        assertBounded(config.getMapConfig("sluice-buckets").getEvictionConfig(), 700);
        assertThat(config.getMapConfigs().get("sluice-*").getEvictionConfig().getEvictionPolicy()).isEqualTo(EvictionPolicy.NONE);
    }

    /** The README's explicit option: an asynchronous backup instead of the synchronous default. */
    @Test
    void aFileMayGiveTheBucketMapAnAsynchronousBackupAndItsOwnResponseThreads() throws Exception {
        Path file = directory.resolve("async.yaml");
        Files.writeString(file, """
                hazelcast:
                  properties:
                    hazelcast.operation.response.thread.count: 2
                  map:
                    sluice-buckets:
                      backup-count: 0
                      async-backup-count: 1
                """);
        Config config = HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "file:" + file));
        assertThat(config.getProperty(HazelcastConfigs.RESPONSE_THREADS)).isEqualTo("2");
        assertThat(config.getMapConfig("sluice-buckets").getBackupCount()).isZero();
        assertThat(config.getMapConfig("sluice-buckets").getAsyncBackupCount()).isEqualTo(1);
    }

    @Test
    void anXmlFileFromTheClasspathWithTheSerializersRegisteredAlready() {
        Config config = HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config",
                "classpath:dev/sluice/hazelcast/member-with-serializers.xml", "sluice.hazelcast.map", "other"));
        assertThat(config.getClusterName()).isEqualTo("from-xml");
        assertThat(config.getSerializationConfig().getSerializerConfigs()).hasSize(4);
        assertThat(config.getMapConfig("other").getBackupCount()).isEqualTo(1);
    }

    @Test
    void aClientStartsAtOnceAndFailsFastWhileDisconnected() {
        ClientConfig config = HazelcastConfigs.client(TestGrid.settings(
                "sluice.hazelcast.mode", "client",
                "sluice.hazelcast.cluster-name", "shop",
                "sluice.hazelcast.members", "10.0.0.5:5701,10.0.0.6"));
        assertThat(config.getClusterName()).isEqualTo("shop");
        assertThat(config.getNetworkConfig().getAddresses()).containsExactly("10.0.0.5:5701", "10.0.0.6");
        assertThat(config.getConnectionStrategyConfig().isAsyncStart()).isTrue();
        assertThat(config.getConnectionStrategyConfig().getReconnectMode()).isEqualTo(ReconnectMode.ASYNC);
        assertThat(config.getConnectionStrategyConfig().getConnectionRetryConfig().getMaxBackoffMillis()).isEqualTo(5_000);
        assertSerializers(config.getSerializationConfig());
    }

    @Test
    void aClientFromTheUsersOwnFile() throws Exception {
        Path file = directory.resolve("client.xml");
        Files.writeString(file, """
                <hazelcast-client xmlns="http://www.hazelcast.com/schema/client-config">
                  <cluster-name>from-file</cluster-name>
                  <network><cluster-members><address>10.0.0.7:5701</address></cluster-members></network>
                </hazelcast-client>
                """);
        ClientConfig config = HazelcastConfigs.client(TestGrid.settings("sluice.hazelcast.mode", "client",
                "sluice.hazelcast.config", "file:" + file));
        assertThat(config.getClusterName()).isEqualTo("from-file");
        assertThat(config.getNetworkConfig().getAddresses()).containsExactly("10.0.0.7:5701");
        assertSerializers(config.getSerializationConfig());
    }

    @Test
    void registeringTwiceRegistersOnce() {
        SerializationConfig config = new SerializationConfig();
        SluiceHazelcast.registerSerializers(config);
        SluiceHazelcast.registerSerializers(config);
        assertSerializers(config);
    }

    @Test
    void aMissingFileOrAnUnknownFormatIsAConfigurationError() {
        Path missing = directory.resolve("missing.yaml");
        assertThatThrownBy(() -> HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "file:" + missing)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.hazelcast.config=file:" + missing + ": not found");
        assertThatThrownBy(() -> HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "classpath:hz.json")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("sluice.hazelcast.config=classpath:hz.json: expected a file ending in .xml, .yaml or .yml");
    }

    @Test
    void anInvalidFileIsAConfigurationError() throws Exception {
        Path file = directory.resolve("bad.xml");
        Files.writeString(file, "<hazelcast><no-such-element/></hazelcast>");
        assertThatThrownBy(() -> HazelcastConfigs.member(TestGrid.settings("sluice.hazelcast.config", "file:" + file)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("sluice.hazelcast.config=file:" + file + ": cannot be read as a Hazelcast member configuration: ");
    }

    private static void assertSluiceDefaults(Config config) {
        assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        assertThat(config.getProperty(HazelcastConfigs.RESPONSE_THREADS)).isEqualTo("0");
        assertThat(config.getMapConfig("sluice-buckets").getBackupCount()).isEqualTo(1);
        assertThat(config.getMapConfig("sluice-buckets").getAsyncBackupCount()).isZero();
        assertBounded(config.getMapConfig("sluice-buckets").getEvictionConfig(), 100_000);
        assertSerializers(config.getSerializationConfig());
    }

    private static void assertBounded(EvictionConfig eviction, int maxKeys) {
        assertThat(eviction.getEvictionPolicy()).isEqualTo(EvictionPolicy.LRU);
        assertThat(eviction.getMaxSizePolicy()).isEqualTo(MaxSizePolicy.PER_NODE);
        assertThat(eviction.getSize()).isEqualTo(maxKeys);
    }

    /** Bucket4j's four serializers, once each, with Sluice's type ids. */
    private static void assertSerializers(SerializationConfig config) {
        assertThat(config.getSerializerConfigs())
                .extracting(SerializerConfig::getTypeClass, serializer -> ((StreamSerializer<?>) serializer.getImplementation()).getTypeId())
                .containsExactlyInAnyOrder(
                        tuple(HazelcastEntryProcessor.class, 10_000),
                        tuple(SimpleBackupProcessor.class, 10_001),
                        tuple(HazelcastOffloadableEntryProcessor.class, 10_002),
                        tuple(VersionedBackupProcessor.class, 10_003));
    }
}
