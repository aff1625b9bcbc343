// Worker thread of bulk issuing: builds, signs and encodes; the main thread reads and writes.
import { parentPort, workerData } from 'node:worker_threads'
import { createNodeSigner } from '../core/cose/node-signer.js'
import type { IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import { issueSlice } from './issue-slice.js'
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './worker-protocol.js'

const setup = workerData as WorkerSetup
const signer = createNodeSigner({
  privateKey: setup.privateKeyPkcs8,
  alg: setup.alg,
  kid: setup.kidBytes,
})
const config: IssuanceConfig = setup.config

parentPort?.on('message', (msg: WorkerRequest) => {
  const result = issueSlice(msg.wire, msg.ends, new Date(msg.now), msg.first, signer, config)
  const response: WorkerResponse = { id: msg.id, result }
  // Hand the buffers over instead of copying them: they are not used here again.
  parentPort?.postMessage(response, [result.index.buffer as ArrayBuffer, result.bytes.buffer as ArrayBuffer])
})
