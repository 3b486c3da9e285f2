"""The most frequent Han characters of general Chinese, from the word frequencies of jieba's
dictionary (Debian python3-jieba), and the kana: characters a multilingual tokenizer must have
as pieces of their own (spm_train --required_chars) even where its technical training text
rarely uses them ("团", "京" fell to UTF-8 byte pieces without this)."""
import os

JIEBA_DICT = "/usr/lib/python3/dist-packages/jieba/dict.txt"
KANA = "".join(map(chr, range(0x3041, 0x3097))) + "".join(map(chr, range(0x30A1, 0x30FB))) + "ー"


def is_han(ch):
    cp = ord(ch)
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF


def common_han(n, dict_path=JIEBA_DICT):
    """The n Han characters with the largest summed frequency over jieba's words ("" when the
    dictionary is missing)."""
    if n <= 0 or not os.path.exists(dict_path):
        return ""
    freq = {}
    with open(dict_path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            for ch in parts[0]:
                if is_han(ch):
                    freq[ch] = freq.get(ch, 0) + int(parts[1])
    return "".join(sorted(freq, key=lambda c: (-freq[c], c))[:n])


def required_chars(han):
    """--required_chars for a tokenizer: the `han` most frequent Han characters and the kana."""
    return common_han(han) + KANA if han > 0 else ""
