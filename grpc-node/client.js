// An independent Open Inference Protocol (KServe V2) client over gRPC, in Node with @grpc/grpc-js: checks the
// sample app's inference.GRPCInferenceService, its grpc.health.v1 service, and that gRPC and REST give the same
// scores. Usage: node client.js <grpc host:port> <REST base URL>. Prints "ok - <name>" or "not ok - <name>: <why>"
// per check and a summary line; exits 1 if any check failed. run.sh starts the app and runs it.
'use strict';

const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const target = process.argv[2] || 'localhost:19090';
const httpBase = (process.argv[3] || 'http://localhost:18080').replace(/\/$/, '');

const MODEL = 'restaurant-ranker';
const DEADLINE_MS = 10000;
const BATCH = 10;
const { status } = grpc;
const CODE_NAMES = Object.fromEntries(Object.entries(status).map(([name, code]) => [code, name]));

const packageDefinition = protoLoader.loadSync(
	[
		path.join(__dirname, '..', 'protocol', 'src', 'main', 'protobuf', 'open_inference_grpc.proto'),
		path.join(__dirname, 'health.proto'),
	],
	{ keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const proto = grpc.loadPackageDefinition(packageDefinition);

// The client's own send limit is lifted, so that the oversized message reaches the server and the server's limit
// (16 MB) is the one that answers
const options = { 'grpc.max_send_message_length': -1 };
const inference = new proto.inference.GRPCInferenceService(target, grpc.credentials.createInsecure(), options);
const health = new proto.grpc.health.v1.Health(target, grpc.credentials.createInsecure(), options);

// call(client, method, request[, deadline]): resolves to { err, res }, never rejects
function call(client, method, request, deadline) {
	return new Promise((resolve) => {
		client[method](request, { deadline: deadline ?? new Date(Date.now() + DEADLINE_MS) }, (err, res) => {
			resolve({ err, res });
		});
	});
}

function brief(value) {
	return String(JSON.stringify(value)).slice(0, 200);
}
function describe(err) {
	return `code ${err.code} (${CODE_NAMES[err.code] ?? '?'}), details ${JSON.stringify(err.details)}`;
}

// A failed expectation throws a Failure, which check() reports as not ok
class Failure extends Error {}
function expect(condition, why) {
	if (!condition) {
		throw new Failure(why);
	}
}
async function answer(client, method, request, deadline) {
	const { err, res } = await call(client, method, request, deadline);
	if (err) {
		throw new Failure(`${method} failed: ${describe(err)}`);
	}
	return res;
}
async function expectStatus(client, method, request, code, substring) {
	const { err, res } = await call(client, method, request);
	if (!err) {
		throw new Failure(`expected code ${code} (${CODE_NAMES[code]}), got an answer: ${brief(res)}`);
	}
	expect(err.code === code && (substring === undefined || String(err.details).includes(substring)),
		`expected code ${code} (${CODE_NAMES[code]})${substring === undefined ? '' : ` with details containing ${JSON.stringify(substring)}`}, got ${describe(err)}`);
}

let passed = 0;
let failed = 0;
async function check(name, body) {
	try {
		await body();
		passed++;
		console.log(`ok - ${name}`);
	} catch (e) {
		failed++;
		console.log(`not ok - ${name}: ${e instanceof Failure ? e.message : (e && e.stack) || e}`);
	}
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const value = (k) => ((k * 7) % 13) / 13;

// Filled in by the metadata check
let input;
let features;

function values(count) {
	return Array.from({ length: count }, (_, k) => value(k));
}
function rawFloats(floats) {
	const buffer = Buffer.alloc(floats.length * 4);
	floats.forEach((f, k) => buffer.writeFloatLE(f, k * 4));
	return buffer;
}
function typedRequest(id) {
	return {
		model_name: MODEL,
		id,
		inputs: [{ name: input, datatype: 'FP32', shape: [BATCH, features], contents: { fp32_contents: values(BATCH * features) } }],
	};
}
function withInput(changes, request = typedRequest('bad')) {
	request.inputs[0] = { ...request.inputs[0], ...changes };
	return request;
}
function expectScores(res, what) {
	const out = res.outputs && res.outputs[0];
	expect(out, `${what}: no outputs in ${brief(res)}`);
	expect(out.name === 'score', `${what}: output name ${JSON.stringify(out.name)}, expected "score"`);
	expect(out.datatype === 'FP32', `${what}: output datatype ${JSON.stringify(out.datatype)}, expected FP32`);
	expect(JSON.stringify(out.shape.map(Number)) === JSON.stringify([BATCH, 1]),
		`${what}: output shape ${JSON.stringify(out.shape)}, expected [${BATCH},1]`);
}
async function typedScores(id = 'typed') {
	const res = await answer(inference, 'ModelInfer', typedRequest(id));
	expectScores(res, 'typed inference');
	const scores = res.outputs[0].contents ? res.outputs[0].contents.fp32_contents : [];
	expect(scores.length === BATCH, `typed inference: ${scores.length} values in contents.fp32_contents, expected ${BATCH}`);
	expect(res.raw_output_contents.length === 0,
		`typed inference: ${res.raw_output_contents.length} raw_output_contents, expected none`);
	expect(res.id === id, `typed inference: id ${JSON.stringify(res.id)}, expected ${JSON.stringify(id)}`);
	return scores;
}
// A bad request answers code and details, and the service still serves a valid request afterwards
async function rejects(request, code, substring) {
	await expectStatus(inference, 'ModelInfer', request, code, substring);
	try {
		await typedScores('after-bad-request');
	} catch (e) {
		throw new Failure(`the bad request was answered as expected, but a valid inference afterwards failed: ${e.message}`);
	}
}
function sameFloats(a, b) {
	return a.length === b.length && a.every((x, k) => x === b[k]);
}

async function main() {
	await check('ServerLive: live', async () => {
		const res = await answer(inference, 'ServerLive', {});
		expect(res.live === true, `live is ${res.live}`);
	});
	await check('ServerReady: ready', async () => {
		const res = await answer(inference, 'ServerReady', {});
		expect(res.ready === true, `ready is ${res.ready}`);
	});
	await check('ServerMetadata: name model-registry, extension binary_tensor_data', async () => {
		const res = await answer(inference, 'ServerMetadata', {});
		expect(res.name === 'model-registry', `name is ${JSON.stringify(res.name)}`);
		expect(res.extensions.includes('binary_tensor_data'), `extensions are ${JSON.stringify(res.extensions)}`);
	});

	await check(`ModelReady ${MODEL}: ready`, async () => {
		const res = await answer(inference, 'ModelReady', { name: MODEL });
		expect(res.ready === true, `ready is ${res.ready}`);
	});
	await check(`ModelReady ${MODEL} version "": ready`, async () => {
		const res = await answer(inference, 'ModelReady', { name: MODEL, version: '' });
		expect(res.ready === true, `ready is ${res.ready}`);
	});
	await check('ModelReady unknown model: NOT_FOUND', () =>
		expectStatus(inference, 'ModelReady', { name: 'missing' }, status.NOT_FOUND));
	await check('ModelReady version "one": INVALID_ARGUMENT', () =>
		expectStatus(inference, 'ModelReady', { name: MODEL, version: 'one' }, status.INVALID_ARGUMENT, 'not a positive integer'));
	await check('ModelReady version "99": NOT_FOUND', () =>
		expectStatus(inference, 'ModelReady', { name: MODEL, version: '99' }, status.NOT_FOUND));

	await check(`ModelMetadata ${MODEL}: onnxruntime_onnx, one FP32 input, output score`, async () => {
		const res = await answer(inference, 'ModelMetadata', { name: MODEL });
		expect(res.platform === 'onnxruntime_onnx', `platform is ${JSON.stringify(res.platform)}`);
		expect(res.versions.length > 0, 'no versions');
		expect(res.inputs.length === 1, `${res.inputs.length} inputs: ${JSON.stringify(res.inputs)}`);
		const [tensor] = res.inputs;
		const shape = tensor.shape.map(Number);
		expect(tensor.datatype === 'FP32', `input datatype is ${JSON.stringify(tensor.datatype)}`);
		expect(shape.length === 2 && shape[1] > 0, `input shape is ${JSON.stringify(tensor.shape)}, expected [-1, F]`);
		expect(res.outputs.some((o) => o.name === 'score'), `outputs are ${JSON.stringify(res.outputs)}`);
		input = tensor.name;
		features = shape[1];
	});
	await check('ModelMetadata unknown model: NOT_FOUND', () =>
		expectStatus(inference, 'ModelMetadata', { name: 'missing' }, status.NOT_FOUND));

	if (input === undefined) {
		await check('inference checks', () => {
			throw new Failure('skipped: ModelMetadata gave no input name and shape');
		});
		return;
	}
	const flat = values(BATCH * features);

	let typed;
	await check(`ModelInfer typed contents, batch of ${BATCH}: ${BATCH} scores, id echoed`, async () => {
		typed = await typedScores('typed-1');
	});
	await check('ModelInfer raw_input_contents: raw_output_contents equal to the typed scores', async () => {
		const request = typedRequest('raw-1');
		delete request.inputs[0].contents;
		request.raw_input_contents = [rawFloats(flat)];
		const res = await answer(inference, 'ModelInfer', request);
		expectScores(res, 'raw inference');
		expect(res.id === 'raw-1', `id ${JSON.stringify(res.id)}`);
		expect(res.raw_output_contents.length === 1, `${res.raw_output_contents.length} raw_output_contents`);
		const raw = res.raw_output_contents[0];
		expect(raw.length === BATCH * 4, `raw_output_contents[0] has ${raw.length} bytes, expected ${BATCH * 4}`);
		const scores = Array.from({ length: BATCH }, (_, k) => raw.readFloatLE(k * 4));
		expect(typed !== undefined, 'no typed scores to compare with');
		expect(sameFloats(scores, typed), `raw ${JSON.stringify(scores)} != typed ${JSON.stringify(typed)}`);
	});
	await check('REST /v2/models/restaurant-ranker/infer: the same scores as gRPC', async () => {
		const response = await fetch(`${httpBase}/v2/models/${MODEL}/infer`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: JSON.stringify({ inputs: [{ name: input, shape: [BATCH, features], datatype: 'FP32', data: flat }] }),
			signal: AbortSignal.timeout(DEADLINE_MS),
		});
		const text = await response.text();
		expect(response.ok, `HTTP ${response.status}: ${text.slice(0, 300)}`);
		const body = JSON.parse(text);
		const out = body.outputs.find((o) => o.name === 'score');
		expect(out, `no output score in ${text.slice(0, 300)}`);
		const scores = out.data.flat().map(Math.fround);
		expect(typed !== undefined, 'no typed scores to compare with');
		expect(sameFloats(scores, typed), `REST ${JSON.stringify(out.data)} != gRPC ${JSON.stringify(typed)}`);
	});

	for (const service of ['', 'inference.GRPCInferenceService']) {
		await check(`grpc.health.v1 Check ${JSON.stringify(service)}: SERVING`, async () => {
			// Spring Boot updates the gRPC health status on a schedule: poll before failing
			const until = Date.now() + 30000;
			let last;
			for (;;) {
				const { err, res } = await call(health, 'Check', { service });
				last = err ? describe(err) : `status ${res.status}`;
				if (!err && res.status === 'SERVING') {
					return;
				}
				if (Date.now() >= until) {
					throw new Failure(`not SERVING after 30 s; last answer: ${last}`);
				}
				await sleep(250);
			}
		});
	}

	const bad = (name, request, code, substring) =>
		check(`bad request, ${name}: ${CODE_NAMES[code]}${substring === undefined ? '' : ` "${substring}"`}`,
			() => rejects(request, code, substring));
	await bad('no inputs', { model_name: MODEL, inputs: [] }, status.INVALID_ARGUMENT, 'no inputs');
	await bad('empty model_name', { ...typedRequest('bad'), model_name: '' }, status.INVALID_ARGUMENT, 'names no model');
	await bad('unknown model', { ...typedRequest('bad'), model_name: 'missing' }, status.NOT_FOUND, 'missing');
	await bad('model_version 9', { ...typedRequest('bad'), model_version: '9' }, status.NOT_FOUND);
	await bad('model_version latest', { ...typedRequest('bad'), model_version: 'latest' },
		status.INVALID_ARGUMENT, 'not a positive integer');
	await bad('datatype BYTES', withInput({
		datatype: 'BYTES', contents: { bytes_contents: Array.from({ length: BATCH * features }, () => Buffer.from('x')) },
	}), status.INVALID_ARGUMENT, "has datatype BYTES but model 'restaurant-ranker' expects FP32");
	await bad('datatype FP64', withInput({ datatype: 'FP64', contents: { fp64_contents: flat } }),
		status.INVALID_ARGUMENT, 'expects FP32');
	await bad(`shape [${features}, ${BATCH}]`, withInput({ shape: [features, BATCH] }), status.INVALID_ARGUMENT, 'expects');
	await bad(`negative dimension [-2, ${features}]`, withInput({ shape: [-2, features] }),
		status.INVALID_ARGUMENT, 'must not be negative');
	await bad('unknown input name', withInput({ name: 'no-such-input' }), status.INVALID_ARGUMENT, 'Unknown input');
	await bad('the same input twice', (() => {
		const request = typedRequest('bad');
		request.inputs.push({ ...request.inputs[0] });
		return request;
	})(), status.INVALID_ARGUMENT, 'more than once');
	await bad('fewer fp32_contents than the shape', withInput({ contents: { fp32_contents: flat.slice(1) } }),
		status.INVALID_ARGUMENT, 'elements in contents.fp32_contents but its shape');
	await bad('int_contents for an FP32 input',
		withInput({ contents: { int_contents: Array.from({ length: BATCH * features }, (_, k) => k % 13) } }),
		status.INVALID_ARGUMENT, 'go in contents.fp32_contents, not int_contents');
	const rawRequest = (buffers, contents) => {
		const request = withInput({ contents });
		request.raw_input_contents = buffers;
		return request;
	};
	await bad('raw_input_contents one byte short', rawRequest([rawFloats(flat).subarray(1)], undefined),
		status.INVALID_ARGUMENT, 'bytes of raw_input_contents but its shape');
	await bad('raw_input_contents and typed contents together', rawRequest([rawFloats(flat)], { fp32_contents: flat }),
		status.INVALID_ARGUMENT, 'one way or the other');
	await bad('two raw_input_contents for one input', rawRequest([rawFloats(flat), rawFloats(flat)], undefined),
		status.INVALID_ARGUMENT, 'raw_input_contents');
	await bad(`shape [1099511627776, ${features}] with 8 elements`,
		withInput({ shape: ['1099511627776', features], contents: { fp32_contents: flat.slice(0, 8) } }),
		status.RESOURCE_EXHAUSTED, 'max-elements');
	await bad('unknown requested output "scores"', { ...typedRequest('bad'), outputs: [{ name: 'scores' }] },
		status.INVALID_ARGUMENT, 'scores');
	await bad('a 17 MB message, over the server\'s 16 MB limit',
		rawRequest([Buffer.alloc(17 * 1024 * 1024)], undefined), status.RESOURCE_EXHAUSTED);
	await check('a deadline already in the past: DEADLINE_EXCEEDED', async () => {
		const { err, res } = await call(inference, 'ModelInfer', typedRequest('late'), new Date(Date.now() - 1000));
		if (!err) {
			throw new Failure(`expected code 4 (DEADLINE_EXCEEDED), got an answer: ${brief(res)}`);
		}
		expect(err.code === status.DEADLINE_EXCEEDED, `expected code 4 (DEADLINE_EXCEEDED), got ${describe(err)}`);
		try {
			await typedScores('after-deadline');
		} catch (e) {
			throw new Failure(`the deadline was exceeded as expected, but a valid inference afterwards failed: ${e.message}`);
		}
	});
}

main()
	.catch((e) => {
		failed++;
		console.log(`not ok - the client itself: ${(e && e.stack) || e}`);
	})
	.finally(() => {
		inference.close();
		health.close();
		console.log(`grpc-node: ${passed} checks passed, ${failed} failed`);
		process.exitCode = failed > 0 ? 1 : 0;
	});
