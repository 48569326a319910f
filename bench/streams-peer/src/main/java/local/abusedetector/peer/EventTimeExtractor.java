package local.abusedetector.peer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time from the record's eventTime field, as our detector uses it; the Kafka timestamp only for a record that does not parse. */
public final class EventTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object value = record.value();
    long t = value instanceof byte[] ? AvroFields.eventTime((byte[]) value) : -1;
    return t >= 0 ? t : record.timestamp();
  }
}
