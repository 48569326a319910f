import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The kafkajs producer fixes (src/kafka/kafkajs-patches.ts) take in a real Node process, as `run` loads them. */
describe('kafkajs producer fixes in the built service', () => {
  it('are in place once the Kafka client module is loaded, ahead of kafkajs', () => {
    const dist = join(__dirname, '../../dist/kafka');
    const script = `
      require(${JSON.stringify(join(dist, 'client.js'))});
      const patches = require(${JSON.stringify(join(dist, 'kafkajs-patches.js'))});
      const group = require('kafkajs/src/producer/groupMessagesPerPartition');
      const Encoder = require('kafkajs/src/protocol/encoder');
      const crc = require('kafkajs/src/protocol/recordBatch/crc32C');
      const frame = require('kafkajs/src/protocol/request');
      const produce = require('kafkajs/src/protocol/requests/produce/v7/request')({ acks: -1, timeout: 1, topicData: [] });
      const recordDecoder = require('kafkajs/src/protocol/recordBatch/record/v0/decoder');
      console.log(patches.installKafkajsPatches(), group === patches.groupMessagesPerPartition, Encoder.name, crc.name,
        frame.name, produce.encode.name, produce.apiVersion, recordDecoder.name);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: join(__dirname, '../..') });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('installed true UnfilledEncoder crc32c exactFrame exactProduceEncode 7 fastRecordV0');
  });

  it('leave kafkajs as it is, and say so, when kafkajs was loaded first', () => {
    const script = `
      require('kafkajs');
      const patches = require(${JSON.stringify(join(__dirname, '../../dist/kafka/kafkajs-patches.js'))});
      console.log(patches.installKafkajsPatches(), require('kafkajs/src/protocol/encoder').name);`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: join(__dirname, '../..') });
    expect(r.stdout.trim()).toBe('kafkajs already loaded Encoder');
  });
});
