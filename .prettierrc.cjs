// Prettier settings, as in OCA's 18.0 template. A .cjs file (not .yml) because
// Prettier 3 resolves a plugin named in a YAML config from the current directory,
// where pre-commit's isolated node environment is not; require.resolve finds it.
/** @type {import('prettier').Config} */
const config = {
    plugins: [require.resolve("@prettier/plugin-xml")],
    bracketSpacing: false,
    printWidth: 88,
    proseWrap: "always",
    semi: true,
    trailingComma: "es5",
    xmlWhitespaceSensitivity: "preserve",
};

module.exports = config;
