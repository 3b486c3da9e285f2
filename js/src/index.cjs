// CommonJS entry. The package is ESM; require('mooscomp') gets async functions that load it.
'use strict';

const load = () => import('./index.js');

exports.load = load; // resolves to the full ESM namespace (error classes included)
exports.createCompressor = async (options) => (await load()).createCompressor(options);
