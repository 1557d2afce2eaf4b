package dev.quarkchat.engine.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarkchat.engine.EngineUnavailableException;
import dev.quarkchat.testing.ChatClient;
import dev.quarkchat.testing.RedisBackplane;
import dev.quarkchat.testing.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.net.URI;

/**
 * A room that another primary wrote last (its data came by replication, as after a failover) starts
 * a new epoch with its next write, so that no seq members saw goes to another message; its members
 * get the documented fresh view.
 */
@QuarkusTest
@TestProfile(RedisBackplane.class)
class RoomEpochFenceTest {

    @TestHTTPResource("/")
    URI base;

    @Inject Instance<Redis> client;

    @Inject RedisBackplaneConfig backplane;

    @Test
    void aRoomAnotherPrimaryWroteLastStartsANewEpoch() {
        try (ChatClient ann = ChatClient.connect(base, TestTokens.valid("fence-ann"))) {
            String epoch = ann.joined("fence").getString("epoch");
            ann.send("fence", "before", "b-1");
            ann.awaitMessage("b-1");

            client.get()
                    .send(
                            Request.cmd(Command.HSET)
                                    .arg(backplane.keyPrefix() + "{fence}:meta")
                                    .arg("writer")
                                    .arg("0123456789abcdef"))
                    .await()
                    .atMost(ChatClient.TIMEOUT);
            ann.send("fence", "after", "a-1");

            JsonObject fresh =
                    ann.awaitFrame(
                            frame ->
                                    "joined".equals(frame.getString("type"))
                                            && !epoch.equals(frame.getString("epoch")));
            assertThat(fresh.getBoolean("recovered")).isFalse();
            assertThat(ann.awaitMessage("a-1").getLong("seq")).isEqualTo(1);
            assertThat(ann.messagesWithId("b-1")).hasSize(1);
        }
    }

    @Test
    void onlyAPrimaryIsWrittenTo() {
        assertThat(RedisShard.writerOf("# Replication\r\nrole:master\r\nmaster_replid:9f1e\r\n"))
                .isEqualTo("9f1e");
        assertThatThrownBy(
                        () ->
                                RedisShard.writerOf(
                                        "# Replication\r\nrole:slave\r\nmaster_replid:9f1e\r\n"))
                .isInstanceOf(EngineUnavailableException.class)
                .hasMessageContaining("role slave");
    }
}
