// The floor: the least a Node process can do to make this call. One signed CreateAssetImageScanSetting with a
// hand-written TC3-HMAC-SHA256 signature, sent with node:http, answer checked, one line printed.
// Reads BENCH_ENDPOINT (http://127.0.0.1:PORT/), TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';

const endpoint = new URL(process.env.BENCH_ENDPOINT ?? 'http://127.0.0.1:9000/');
const secretId = process.env.TENCENTCLOUD_SECRET_ID ?? '';
const secretKey = process.env.TENCENTCLOUD_SECRET_KEY ?? '';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const hmac = (key, text) => createHmac('sha256', key).update(text).digest();

const body = JSON.stringify({ Enable: true, ScanTime: '01:00', ScanPeriod: 1, ScanVirus: true, ScanRisk: true, ScanVul: true });
const timestamp = Math.floor(Date.now() / 1000);
const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
const host = endpoint.hostname;
const contentType = 'application/json';
const canonical = `POST\n/\n\ncontent-type:${contentType}\nhost:${host}\n\ncontent-type;host\n${sha256(body)}`;
const scope = `${date}/tcss/tc3_request`;
const toSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256(canonical)}`;
const key = hmac(hmac(hmac(`TC3${secretKey}`, date), 'tcss'), 'tc3_request');
const signature = createHmac('sha256', key).update(toSign).digest('hex');

const req = request(endpoint, {
  method: 'POST',
  headers: {
    Authorization: `TC3-HMAC-SHA256 Credential=${secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    'Content-Type': contentType,
    'X-TC-Action': 'CreateAssetImageScanSetting',
    'X-TC-Version': '2020-11-01',
    'X-TC-Timestamp': String(timestamp),
    'Content-Length': Buffer.byteLength(body),
  },
});
req.on('response', (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const response = JSON.parse(Buffer.concat(chunks).toString('utf8')).Response;
    if (res.statusCode !== 200 || !response || response.Error) {
      process.stderr.write(`floor: unexpected answer ${res.statusCode} ${JSON.stringify(response)}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`Saved. RequestId ${response.RequestId}\n`);
  });
});
req.on('error', (error) => {
  process.stderr.write(`floor: ${error.message}\n`);
  process.exitCode = 1;
});
req.end(body);
