// The compress() options of every request, besides the rate. Line breaks are kept: in a
// chat message they carry its structure (paragraphs, lists, code).
export const COMPRESS_OPTIONS = { forceTokens: ['\n'] };
