"""English names of administrative divisions, for scripts/build_regions.py (build time only).

A name is its proper name in Hanyu Pinyin (GB/T 16159, 地名管理条例) written as one word,
syllables joined, an apostrophe before a syllable that starts with a, o or e (Xi'an, Lu'an),
followed by the generic term translated (省 Province, 市 City, 区 District, 县 County,
自治州 Autonomous Prefecture …). A single-syllable proper name keeps the generic as a separate
word (蔚县 Yu County). Autonomous areas name their ethnic groups in English (凉山彝族自治州
Liangshan Yi Autonomous Prefecture); a banner's 左/右/前/中/后 and 左翼/右翼 are translated.

pypinyin (with its phrase dictionary) gives the syllables; READINGS corrects the place-name
readings it gets wrong (洪洞 Hongtong, 长治 Changzhi …) and CONVENTIONAL holds the established
forms that are not plain Pinyin (Inner Mongolia, Shaanxi, the municipalities, Hong Kong …, and
names transcribed from a minority language, as GB/T 16159 asks: Hohhot, Ürümqi, Lhasa …).
"""
from __future__ import annotations

import re

# Whole names whose English form is established and not "Pinyin + generic".
CONVENTIONAL = {
    "北京市": "Beijing", "天津市": "Tianjin", "上海市": "Shanghai", "重庆市": "Chongqing",
    "陕西省": "Shaanxi Province",
    "内蒙古自治区": "Inner Mongolia Autonomous Region", "西藏自治区": "Tibet Autonomous Region",
    "广西壮族自治区": "Guangxi Zhuang Autonomous Region",
    "宁夏回族自治区": "Ningxia Hui Autonomous Region",
    "新疆维吾尔自治区": "Xinjiang Uygur Autonomous Region",
    "香港特别行政区": "Hong Kong Special Administrative Region",
    "澳门特别行政区": "Macao Special Administrative Region",
}

# Proper names transcribed from a minority language or long established in that form (the
# generic is still translated: 呼和浩特市 Hohhot City). Prefecture-level names, and Shangri-La.
PROPER = {
    "呼和浩特": "Hohhot", "鄂尔多斯": "Ordos", "呼伦贝尔": "Hulunbuir", "巴彦淖尔": "Bayannur",
    "乌兰察布": "Ulanqab", "锡林郭勒": "Xilingol", "阿拉善": "Alxa", "兴安": "Hinggan",
    "哈尔滨": "Harbin", "齐齐哈尔": "Qiqihar", "拉萨": "Lhasa", "日喀则": "Xigazê",
    "昌都": "Qamdo", "林芝": "Nyingchi", "那曲": "Nagqu", "阿里": "Ngari", "乌鲁木齐": "Ürümqi",
    "克拉玛依": "Karamay",
    "吐鲁番": "Turpan", "喀什": "Kashgar", "和田": "Hotan", "阿克苏": "Aksu", "伊犁": "Ili",
    "阿勒泰": "Altay", "博尔塔拉": "Bortala", "巴音郭楞": "Bayingolin", "克孜勒苏": "Kizilsu",
    "香格里拉": "Shangri-La",  # the county-level city's own official form
}

# Place-name readings pypinyin gets wrong, as toneless syllables. Longest match first, so a
# phrase beats a single character (长子 zhang zi, else 长 chang).
READINGS = {
    "长": "chang", "长子": "zhang zi", "都": "du", "朝": "chao", "佛": "fo", "单": "shan",
    "蔚": "yu", "浚": "xun", "洪洞": "hong tong", "繁峙": "fan shi", "筠连": "jun lian",
    "什邡": "shi fang", "六安": "lu an", "六合": "lu he", "蚌埠": "beng bu", "厦门": "xia men",
    "番禺": "pan yu", "乐清": "yue qing", "乐亭": "lao ting", "铅山": "yan shan", "东阿": "dong e",
    "莘": "shen", "尉氏": "wei shi", "尉犁": "yu li", "枞阳": "zong yang", "黄陂": "huang pi",
    "涪": "fu", "阆": "lang", "荥阳": "xing yang", "荥经": "ying jing", "会理": "hui li",
    "会同": "hui tong", "会昌": "hui chang", "栟茶": "ben cha", "大城": "da cheng",
    "大名": "da ming", "丽水": "li shui", "漯": "luo", "什": "shi", "勒": "le", "卡": "ka",
    "马尾": "ma wei", "蚌": "beng", "万柏林": "wan bai lin", "红寺堡": "hong si bu", "泊": "bo",
    "南乐": "nan le", "民乐": "min le", "畹町": "wan ding", "曾": "zeng",
}

# The 56 ethnic groups (and 各族) as autonomous areas name them; "族" may be left out.
ETHNIC = {
    "汉": "Han", "蒙古": "Mongol", "回": "Hui", "藏": "Tibetan", "维吾尔": "Uygur", "苗": "Miao",
    "彝": "Yi", "壮": "Zhuang", "布依": "Bouyei", "朝鲜": "Korean", "满": "Manchu", "侗": "Dong",
    "瑶": "Yao", "白": "Bai", "土家": "Tujia", "哈尼": "Hani", "哈萨克": "Kazak", "傣": "Dai",
    "黎": "Li", "傈僳": "Lisu", "佤": "Va", "畲": "She", "高山": "Gaoshan", "拉祜": "Lahu",
    "水": "Shui", "东乡": "Dongxiang", "纳西": "Naxi", "景颇": "Jingpo", "柯尔克孜": "Kirgiz",
    "土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao", "羌": "Qiang", "布朗": "Blang",
    "撒拉": "Salar", "毛南": "Maonan", "仡佬": "Gelao", "锡伯": "Xibe", "阿昌": "Achang",
    "普米": "Pumi", "塔吉克": "Tajik", "怒": "Nu", "乌孜别克": "Uzbek", "俄罗斯": "Russian",
    "鄂温克": "Ewenki", "德昂": "De'ang", "保安": "Bonan", "裕固": "Yugur", "京": "Gin",
    "塔塔尔": "Tatar", "独龙": "Derung", "鄂伦春": "Oroqen", "赫哲": "Hezhen", "门巴": "Monba",
    "珞巴": "Lhoba", "基诺": "Jino", "各": "Multi-ethnic",
}

# Generic terms, longest first. AMBIGUOUS ones are generic only for the names listed (西林区
# is Xilin District, 神农架林区 a forestry district).
GENERIC = [
    ("特别行政区", "Special Administrative Region"), ("自治区", "Autonomous Region"),
    ("自治州", "Autonomous Prefecture"), ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"), ("工矿区", "Industrial and Mining District"),
    ("矿区", "Mining District"), ("林区", "Forestry District"), ("新区", "New Area"),
    ("特区", "Special District"), ("行政区", "Administrative Region"),
    ("地区", "Prefecture"), ("省", "Province"), ("市", "City"),
    ("区", "District"), ("县", "County"), ("旗", "Banner"), ("盟", "League"), ("镇", "Town"),
]
AMBIGUOUS = {"林区": {"神农架林区"}, "新区": {"滨海新区", "浦东新区", "两江新区", "沈北新区"}}
# Position words of banners and wings (科尔沁左翼中旗 Ke'erqin Left Wing Middle Banner).
BANNER_PARTS = {"左": "Left", "右": "Right", "前": "Front", "中": "Middle", "后": "Rear",
                "联合": "United"}
WINGS = {"左翼": "Left Wing", "右翼": "Right Wing"}

_VOWEL_START = re.compile(r"[aoeāáǎàōóǒòēéěè]")


def split_generic(name: str) -> tuple[str, str]:
    """Return (proper part, English generic); the generic is '' when none applies."""
    for chinese, english in GENERIC:
        if name.endswith(chinese) and len(name) > len(chinese):
            if chinese in AMBIGUOUS and name not in AMBIGUOUS[chinese]:
                continue
            return name[: -len(chinese)], english
    return name, ""


def split_ethnic(proper: str) -> tuple[str, list[str]]:
    """Strip the ethnic groups off the end of an autonomous area's proper name."""
    groups: list[str] = []
    by_length = sorted(ETHNIC, key=len, reverse=True)
    while proper:
        for chinese in by_length:
            if proper.endswith(chinese + "族"):
                proper, found = proper[: -len(chinese) - 1], chinese
                break
            # Without 族 only a name of two or more characters (维吾尔, 哈萨克, 蒙古).
            if len(chinese) > 1 and chinese != "各" and proper.endswith(chinese):
                proper, found = proper[: -len(chinese)], chinese
                break
        else:
            break
        groups.insert(0, ETHNIC[found])
    return proper, groups


def syllables(text: str) -> list[str]:
    """Toneless Pinyin syllables of ``text``, READINGS first (longest match)."""
    from pypinyin import Style, lazy_pinyin

    result: list[str] = []
    longest = max(len(k) for k in READINGS)
    plain_start = 0
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            reading = READINGS.get(text[i:i + size])
            if reading:
                result += lazy_pinyin(text[plain_start:i], style=Style.NORMAL, v_to_u=True)
                result += reading.split()
                i += size
                plain_start = i
                break
        else:
            i += 1
    result += lazy_pinyin(text[plain_start:], style=Style.NORMAL, v_to_u=True)
    if any(not re.fullmatch(r"[a-zü]+", s) for s in result):
        raise ValueError(f"no Pinyin for every character of {text!r}: {result}")
    return result


def pinyin_word(text: str) -> str:
    """One proper name as one capitalised word (西安 Xi'an, 六安 Lu'an)."""
    if text in PROPER:
        return PROPER[text]
    word = ""
    for syllable in syllables(text):
        word += ("'" if word and _VOWEL_START.match(syllable) else "") + syllable
    return word[:1].upper() + word[1:]


def english_name(name: str) -> str:
    """Return the English name of a division given its Chinese name."""
    if name in CONVENTIONAL:
        return CONVENTIONAL[name]
    proper, generic = split_generic(name)
    words: list[str] = []
    if generic == "Banner":
        for chinese, english in BANNER_PARTS.items():
            if proper.endswith(chinese) and len(proper) > len(chinese) + 1:
                proper, generic = proper[: -len(chinese)], f"{english} {generic}"
                break
    groups: list[str] = []
    if generic.startswith("Autonomous") or proper.endswith("族"):  # 管城回族区 too
        proper, groups = split_ethnic(proper)
        if not groups:
            raise ValueError(f"no ethnic group found in {name!r}")
    for chinese, english in WINGS.items():
        if proper.endswith(chinese) and len(proper) > len(chinese):
            proper, words = proper[: -len(chinese)], [english]
            break
    if proper:
        words.insert(0, pinyin_word(proper))
    if groups:
        words.append(groups[0] if len(groups) == 1
                     else ", ".join(groups[:-1]) + " and " + groups[-1])
    if generic:
        words.append(generic)
    return " ".join(words)
