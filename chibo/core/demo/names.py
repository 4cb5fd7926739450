"""Vietnamese personal names in their proper order: họ (family), đệm (middle), tên (given).

Weights follow published surname surveys (Nguyễn about 38%); Hoàng/Vũ are northern spellings
of the names the south writes Huỳnh/Võ, so the split depends on the region. Ethnic minority
members mostly carry their community's own family names, written the Vietnamese way.
"""

import itertools
import random
from collections.abc import Sequence

NORTH, CENTRAL, SOUTH = "north", "central", "south"

# (name, weight in percent). The tail is shared by all regions.
_COMMON_TAIL = [
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.6),
    ("Trương", 0.6),
    ("Lương", 0.4),
    ("Mai", 0.4),
    ("Cao", 0.4),
    ("Đoàn", 0.4),
    ("Đào", 0.4),
    ("Lâm", 0.3),
    ("Trịnh", 0.3),
    ("Tạ", 0.2),
    ("Hà", 0.2),
    ("Phùng", 0.2),
    ("Kiều", 0.1),
    ("Chu", 0.1),
    ("Tô", 0.1),
    ("Lưu", 0.1),
    ("Thái", 0.1),
    ("Quách", 0.1),
    ("Châu", 0.1),
    ("La", 0.05),
    ("Khổng", 0.05),
]
FAMILY_NAMES: dict[str, list[tuple[str, float]]] = {
    NORTH: [
        ("Nguyễn", 38.0),
        ("Trần", 11.0),
        ("Lê", 9.5),
        ("Phạm", 7.0),
        ("Hoàng", 5.0),
        ("Phan", 3.0),
        ("Vũ", 4.0),
        *_COMMON_TAIL,
    ],
    CENTRAL: [
        ("Nguyễn", 38.0),
        ("Trần", 11.0),
        ("Lê", 9.5),
        ("Phạm", 6.0),
        ("Hoàng", 3.0),
        ("Huỳnh", 2.0),
        ("Phan", 5.5),
        ("Võ", 4.0),
        *_COMMON_TAIL,
    ],
    SOUTH: [
        ("Nguyễn", 38.0),
        ("Trần", 11.0),
        ("Lê", 9.5),
        ("Phạm", 6.5),
        ("Huỳnh", 5.0),
        ("Phan", 4.5),
        ("Võ", 4.0),
        *_COMMON_TAIL,
    ],
}
# Family names usual in each minority community (all written as Vietnamese family names).
ETHNIC_FAMILY_NAMES: dict[str, list[str]] = {
    "Tày": ["Hoàng", "Nông", "Bế", "Lục", "Ma", "Triệu", "Hà", "Lương"],
    "Nùng": ["Hoàng", "Nông", "Lương", "Vi", "Lý", "Mã", "Chu"],
    "Thái": ["Lò", "Cầm", "Lường", "Vi", "Hà", "Quàng", "Lộc", "Lang"],
    "Mường": ["Bùi", "Đinh", "Quách", "Hà", "Xa", "Cao"],
    "Khmer": ["Thạch", "Sơn", "Danh", "Kim", "Lâm", "Châu"],
    "Hoa": ["Lý", "Lâm", "Quách", "Diệp", "Tăng", "Trần", "Hứa"],
    "Dao": ["Triệu", "Bàn", "Đặng", "Lý", "Phùng"],
    "Sán Dìu": ["Diệp", "Lưu", "Trương", "Lam"],
}
ALL_FAMILY_NAMES: frozenset[str] = frozenset(
    [n for names in FAMILY_NAMES.values() for n, _ in names]
    + [n for names in ETHNIC_FAMILY_NAMES.values() for n in names]
)

# Middle names: older generations almost always Văn / Thị; younger ones vary more.
_MIDDLE_MALE_OLD = [("Văn", 70), ("Hữu", 8), ("Đức", 7), ("Đình", 6), ("Công", 5), ("Xuân", 4)]
_MIDDLE_MALE_YOUNG = [
    ("Văn", 30),
    ("Minh", 10),
    ("Quang", 8),
    ("Đức", 8),
    ("Hữu", 6),
    ("Thành", 5),
    ("Quốc", 5),
    ("Ngọc", 4),
    ("Trọng", 4),
    ("Mạnh", 4),
    ("Tuấn", 3),
    ("Hoàng", 3),
    ("Việt", 3),
    ("Duy", 3),
    ("Công", 2),
    ("Xuân", 2),
]
_MIDDLE_FEMALE_OLD = [("Thị", 85), ("Ngọc", 5), ("Thu", 4), ("Thanh", 3), ("Kim", 3)]
_MIDDLE_FEMALE_YOUNG = [
    ("Thị", 45),
    ("Ngọc", 8),
    ("Thu", 8),
    ("Thanh", 7),
    ("Minh", 5),
    ("Phương", 5),
    ("Hồng", 4),
    ("Thùy", 4),
    ("Kim", 3),
    ("Bích", 3),
    ("Hoài", 3),
    ("Khánh", 2),
    ("Diệu", 2),
    ("Mai", 1),
]
# A second middle word after "Thị", common in women's names: Nguyễn Thị Thu Hằng.
_SECOND_MIDDLE_FEMALE = ["Thu", "Thanh", "Ngọc", "Kim", "Hồng", "Bích", "Minh", "Phương", "Mai"]

GIVEN_MALE = [
    "Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Hải", "Sơn", "Long", "Phong", "Quân", "Thắng",
    "Cường", "Hưng", "Bình", "Hòa", "Thành", "Trung", "Đức", "Huy", "Khánh", "Tùng", "Việt",
    "Lâm", "Hiếu", "Hoàng", "Kiên", "Toàn", "Tâm", "Thịnh", "Vinh", "Phúc", "Lộc", "Tài",
    "Đạt", "Hào", "An", "Quang", "Thanh", "Tiến", "Tú", "Hậu", "Chiến", "Lợi", "Thuận",
    "Nghĩa", "Hiệp", "Trọng", "Bảo", "Duy", "Khoa", "Anh", "Định", "Sáng", "Tường", "Vượng",
]  # fmt: skip
GIVEN_FEMALE = [
    "Lan", "Hương", "Hoa", "Mai", "Hà", "Linh", "Trang", "Thảo", "Hằng", "Nga", "Huyền",
    "Phương", "Thủy", "Yến", "Nhung", "Hạnh", "Dung", "Loan", "Thu", "Vân", "Anh", "Ngọc",
    "Oanh", "Hiền", "Liên", "Tuyết", "Hồng", "Quyên", "Châu", "Trinh", "Ly", "Nhàn", "Thơ",
    "Hoài", "Giang", "Uyên", "Vy", "Chi", "Diệp", "My", "Nhi", "Quỳnh", "Thúy", "Xuân",
    "Bình", "Hòa", "Sen", "Cúc", "Đào", "Lụa", "Tâm", "Thắm",
]  # fmt: skip

# Ethnic mix of members by province (codename of vietnam_provinces), Kinh elsewhere.
ETHNIC_MIX: dict[str, list[tuple[str, float]]] = {
    "cao_bang": [("Tày", 45), ("Nùng", 30), ("Kinh", 20), ("Dao", 5)],
    "lang_son": [("Nùng", 40), ("Tày", 35), ("Kinh", 20), ("Dao", 5)],
    "tuyen_quang": [("Kinh", 55), ("Tày", 30), ("Dao", 10), ("Sán Dìu", 5)],
    "thai_nguyen": [("Kinh", 75), ("Tày", 12), ("Nùng", 6), ("Sán Dìu", 4), ("Dao", 3)],
    "lao_cai": [("Kinh", 60), ("Tày", 20), ("Dao", 12), ("Nùng", 8)],
    "dien_bien": [("Thái", 45), ("Kinh", 45), ("Dao", 5), ("Mường", 5)],
    "lai_chau": [("Thái", 40), ("Kinh", 45), ("Dao", 15)],
    "son_la": [("Thái", 55), ("Kinh", 35), ("Mường", 10)],
    "phu_tho": [("Kinh", 80), ("Mường", 17), ("Dao", 3)],
    "thanh_hoa": [("Kinh", 88), ("Mường", 8), ("Thái", 4)],
    "nghe_an": [("Kinh", 88), ("Thái", 10), ("Mường", 2)],
    "quang_ninh": [("Kinh", 92), ("Dao", 4), ("Sán Dìu", 2), ("Hoa", 2)],
    "ho_chi_minh": [("Kinh", 95), ("Hoa", 5)],
    "dong_nai": [("Kinh", 94), ("Hoa", 4), ("Nùng", 2)],
    "an_giang": [("Kinh", 85), ("Khmer", 12), ("Hoa", 3)],
    "vinh_long": [("Kinh", 88), ("Khmer", 10), ("Hoa", 2)],
    "can_tho": [("Kinh", 86), ("Khmer", 11), ("Hoa", 3)],
    "ca_mau": [("Kinh", 92), ("Khmer", 6), ("Hoa", 2)],
    "dak_lak": [("Kinh", 85), ("Tày", 8), ("Nùng", 7)],
    "lam_dong": [("Kinh", 90), ("Tày", 5), ("Nùng", 5)],
}
# Elsewhere: mostly Kinh, with the minorities found in every region of the country.
REGION_MIX: dict[str, list[tuple[str, float]]] = {
    NORTH: [
        ("Kinh", 95.5),
        ("Tày", 1.5),
        ("Mường", 1.2),
        ("Nùng", 0.8),
        ("Hoa", 0.5),
        ("Dao", 0.5),
    ],
    CENTRAL: [
        ("Kinh", 95.5),
        ("Thái", 1.5),
        ("Mường", 1.5),
        ("Tày", 0.5),
        ("Hoa", 0.5),
        ("Nùng", 0.5),
    ],
    SOUTH: [("Kinh", 94.0), ("Khmer", 3.0), ("Hoa", 2.5), ("Tày", 0.3), ("Nùng", 0.2)],
}

# Mobile prefixes in use since the 2018 renumbering (Viettel, VinaPhone, MobiFone, others).
MOBILE_PREFIXES = [
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039",
    "088", "091", "094", "081", "082", "083", "084", "085",
    "089", "090", "093", "070", "076", "077", "078", "079",
    "092", "056", "058",
]  # fmt: skip


def region_of(province_code: int) -> str:
    """Northern provinces run to Ninh Bình (37); the centre from Thanh Hóa to the Highlands."""
    if province_code <= 37:
        return NORTH
    if province_code <= 68:
        return CENTRAL
    return SOUTH


def _cumulative(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], list[float]]:
    return [n for n, _ in pairs], list(itertools.accumulate(w for _, w in pairs))


class Namer:
    """Draws names and ethnicities for one province; `rng` is the generator's only source."""

    def __init__(self, rng: random.Random, *, province_code: int, codename: str) -> None:
        self.rng = rng
        region = region_of(province_code)
        self.families = _cumulative(FAMILY_NAMES[region])
        self.ethnicities = _cumulative(ETHNIC_MIX.get(codename, REGION_MIX[region]))
        self.male = (_cumulative(_MIDDLE_MALE_OLD), _cumulative(_MIDDLE_MALE_YOUNG))
        self.female = (_cumulative(_MIDDLE_FEMALE_OLD), _cumulative(_MIDDLE_FEMALE_YOUNG))

    def _pick(self, table: tuple[list[str], list[float]]) -> str:
        return self.rng.choices(table[0], cum_weights=table[1])[0]

    def ethnicity(self) -> str:
        return self._pick(self.ethnicities)

    def full_name(self, *, female: bool, birth_year: int, ethnicity: str = "Kinh") -> str:
        rng = self.rng
        if ethnicity in ETHNIC_FAMILY_NAMES and rng.random() < 0.85:
            family = rng.choice(ETHNIC_FAMILY_NAMES[ethnicity])
        else:
            family = self._pick(self.families)
        young = birth_year >= 1975
        if female:
            middle = self._pick(self.female[young])
            if middle == "Thị" and young and rng.random() < 0.3:
                middle = f"Thị {rng.choice(_SECOND_MIDDLE_FEMALE)}"
            given = rng.choice(GIVEN_FEMALE)
        else:
            middle = self._pick(self.male[young])
            given = rng.choice(GIVEN_MALE)
        # "Nguyễn Văn Văn" or "Nguyễn Thị Thu Thu" do occur, but read like a bug in a demo.
        if given in middle.split():
            given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
            if given in middle.split():
                middle = "Thị" if female else "Văn"
        return f"{family} {middle} {given}"


def mobile_phone(rng: random.Random) -> str:
    """A 10-digit Vietnamese mobile number."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
