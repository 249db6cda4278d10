/**
 * The settings model: the fields and their parsing, resolution of layers (flags > config > current >
 * defaults), the request body, the drift between two settings, and policy files.
 */
export * from './diff.js';
export * from './fields.js';
export * from './layers.js';
export * from './policy.js';
export * from './section.js';
export * from './warnings.js';
