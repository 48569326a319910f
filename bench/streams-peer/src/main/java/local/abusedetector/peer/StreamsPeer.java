package local.abusedetector.peer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The peer: calls (dialled) and messages per account per 1-minute and 1-hour
 * tumbling event-time window, with our default volume limits (20 and 200
 * calls, 120 and 1,000 messages); counts over a limit go to an output topic.
 * One stream thread, so it runs on about one core like our one process.
 * Configured by environment: BOOTSTRAP, APPLICATION_ID, TOPIC_CALLS,
 * TOPIC_MESSAGES, TOPIC_OTHER (comma-separated, consumed and dropped),
 * TOPIC_OUT, PROCESSING_GUARANTEE (at_least_once | exactly_once_v2),
 * STATE_DIR, STORE (memory | rocksdb).
 */
public final class StreamsPeer {
  /** Our ALLOWED_DISORDER_MS default: how late an event may be and still count. */
  private static final Duration GRACE = Duration.ofMinutes(1);

  private StreamsPeer() {}

  public static void main(String[] args) throws InterruptedException {
    String guarantee = env("PROCESSING_GUARANTEE", "at_least_once");
    boolean rocks = env("STORE", "memory").equals("rocksdb");
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, env("APPLICATION_ID", null));
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, env("BOOTSTRAP", "127.0.0.1:9092"));
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.STATE_DIR_CONFIG, env("STATE_DIR", null));
    // Exactly-once keeps its 100 ms default; at-least-once would otherwise commit only every 30 s.
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, guarantee.equals("at_least_once") ? 1000 : 100);
    p.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, EventTimeExtractor.class);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

    StreamsBuilder b = new StreamsBuilder();
    Consumed<String, byte[]> raw = Consumed.with(Serdes.String(), Serdes.ByteArray());
    String out = env("TOPIC_OUT", null);
    KStream<String, byte[]> callStarts = b.stream(env("TOPIC_CALLS", null), raw).filter((k, v) -> AvroFields.isCallStart(v));
    KStream<String, byte[]> messages = b.stream(env("TOPIC_MESSAGES", null), raw);
    count(callStarts, "calls-1m", Duration.ofMinutes(1), 20, out, rocks);
    count(callStarts, "calls-1h", Duration.ofHours(1), 200, out, rocks);
    count(messages, "messages-1m", Duration.ofMinutes(1), 120, out, rocks);
    count(messages, "messages-1h", Duration.ofHours(1), 1000, out, rocks);
    // Registrations and reports are read like ours reads them, so both groups finish the same records.
    b.stream(List.of(env("TOPIC_OTHER", null).split(",")), raw).foreach((k, v) -> { });

    KafkaStreams streams = new KafkaStreams(b.build(), p);
    CountDownLatch stopped = new CountDownLatch(1);
    streams.setUncaughtExceptionHandler(e -> {
      System.err.println("peer failed: " + e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      System.err.println("peer state " + before + " -> " + now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) stopped.countDown();
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(30))));
    streams.start();
    stopped.await();
  }

  private static void count(KStream<String, byte[]> s, String name, Duration size, long limit, String out, boolean rocks) {
    Materialized<String, Long, WindowStore<Bytes, byte[]>> store = rocks
        ? Materialized.as(name)
        : Materialized.as(Stores.inMemoryWindowStore(name, size.plus(GRACE), size, false));
    s.groupByKey(Grouped.with(Serdes.String(), Serdes.ByteArray()))
        .windowedBy(TimeWindows.ofSizeAndGrace(size, GRACE))
        .count(store.withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
        .toStream()
        .filter((w, c) -> c != null && c > limit)
        .map((w, c) -> KeyValue.pair(w.key(), name + " " + w.window().start() + " " + c))
        .to(out, Produced.with(Serdes.String(), Serdes.String()));
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    if (v != null && !v.isBlank()) return v;
    if (fallback == null) throw new IllegalArgumentException(name + " is required");
    return fallback;
  }
}
