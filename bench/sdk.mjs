// The official SDK doing the same call: tencentcloud-sdk-nodejs-common's CommonClient (a dev dependency),
// sending to BENCH_ENDPOINT (http://127.0.0.1:PORT/) with TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY.
// The SDK takes the service name for the signature from the endpoint's first label, so it is given the real
// host name and an http.Agent whose sockets go to the loopback port instead.
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';

const target = new URL(process.env.BENCH_ENDPOINT ?? 'http://127.0.0.1:9000/');
class LoopbackAgent extends Agent {
  createConnection(_options, callback) {
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    if (callback) socket.once('connect', () => callback(null, socket));
    return socket;
  }
}
const client = new CommonClient('tcss.tencentcloudapi.com', '2020-11-01', {
  credential: { secretId: process.env.TENCENTCLOUD_SECRET_ID, secretKey: process.env.TENCENTCLOUD_SECRET_KEY },
  profile: { httpProfile: { protocol: 'http://', reqTimeout: 30, agent: new LoopbackAgent() } },
});
try {
  const response = await client.request('CreateAssetImageScanSetting', {
    Enable: true, ScanTime: '01:00', ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: true,
  });
  process.stdout.write(`Saved. RequestId ${response.RequestId}\n`);
} catch (error) {
  process.stderr.write(`sdk: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
