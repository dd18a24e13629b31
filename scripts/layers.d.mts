// Types of layers.mjs (plain JavaScript so eslint.config.mjs can import it without a build).
export declare const CORE_LAYERS: readonly string[];
export declare const CORE_LEAVES: readonly string[];
