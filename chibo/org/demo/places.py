"""Real places from the `vietnam-provinces` package (the 34 provinces and 3,321 communes of the
2025 reorganisation) and the names that grow on them: villages, schools, agencies."""

import random
from dataclasses import dataclass

from vietnam_provinces import Province, ProvinceCode, Ward

from chibo.core.demo.names import NORTH, SOUTH, region_of


@dataclass(frozen=True)
class Place:
    """A province or a commune, with the parts of its name that unit names are built from."""

    code: int
    name: str  # "Tỉnh Nghệ An", "Xã Hưng Chính"
    level: str  # "tỉnh", "thành phố", "xã", "phường", "đặc khu"
    short: str  # "Nghệ An", "Hưng Chính"
    codename: str = ""
    old_names: tuple[str, ...] = ()  # short names of the communes merged into it in 2025

    @property
    def urban(self) -> bool:
        return self.level == "phường"


_LEVELS = ("Thành phố", "Tỉnh", "Phường", "Xã", "Đặc khu")


def _split(name: str) -> tuple[str, str]:
    for level in _LEVELS:
        if name.startswith(level + " "):
            return level.lower(), name[len(level) + 1 :]
    return "", name


def provinces() -> list[Place]:
    result = []
    for p in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        level, short = _split(p.name)
        result.append(Place(int(p.code), p.name, level, short, p.codename))
    return result


def communes(province_code: int) -> list[Place]:
    result = []
    for w in sorted(Ward.iter_by_province(ProvinceCode(province_code)), key=lambda w: int(w.code)):
        level, short = _split(w.name)
        old = []
        for legacy in w.get_legacy_sources():
            old_short = _split(legacy.name)[1]
            if old_short not in old and old_short != short:
                old.append(old_short)
        result.append(Place(int(w.code), w.name, level, short, w.codename, tuple(old)))
    return result


# Village words differ by region: "bản" in the north-west, "ấp" in the south.
_BAN_PROVINCES = {11, 12, 14}


def village_word(province_code: int) -> str:
    if province_code in _BAN_PROVINCES:
        return "bản"
    if region_of(province_code) == SOUTH:
        return "ấp"
    return "thôn"


def quarter_word(province_code: int) -> str:
    return "tổ dân phố" if region_of(province_code) == NORTH else "khu phố"


VILLAGE_NAMES = [
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Đoài", "An Lạc", "Phú Thọ",
    "Hòa Bình", "Tân Lập", "Xuân Phong", "Đồng Tâm", "Quyết Thắng", "Yên Thịnh", "Tiền Phong",
    "Đại Đồng", "Phú Mỹ", "Thanh Xuân", "Hợp Thành", "Tân Hưng", "Phú Hòa", "Bình An",
    "Vĩnh Phúc", "Thắng Lợi", "Đông Hòa", "Tây Sơn", "Hưng Long", "Mỹ Lộc", "Thái Hòa",
    "Trung Hậu", "Cẩm Văn", "Phúc Lâm", "Đồng Xuân", "An Thịnh", "Tân Phong", "Kim Liên",
    "Nam Sơn", "Bắc Sơn", "Đông Thịnh", "Vạn Phúc", "Hòa Lạc", "Thống Nhất", "Lam Sơn",
    "Ngọc Lâm", "Quang Trung", "Tân Tiến", "Đồng Lạc", "Minh Khai", "Phú Lộc", "Bình Minh",
    "Tân Thành", "Long Hưng", "An Phú", "Hiệp Hòa", "Phước Lợi", "Mỹ Thạnh", "Thạnh Lợi",
]  # fmt: skip


def village_names(rng: random.Random, count: int, *, numbered: bool) -> list[str]:
    """Names for `count` villages of one commune, all different."""
    if numbered or count > len(VILLAGE_NAMES):
        return [str(i) for i in range(1, count + 1)]
    return rng.sample(VILLAGE_NAMES, count)


def school_names(commune: Place) -> list[tuple[str, str]]:
    """(level, place) of the commune's schools: one per merged old commune, in the order a
    commune committee lists them."""
    places = [commune.short, *commune.old_names]
    names = [("Trường Tiểu học", p) for p in places]
    names += [("Trường THCS", p) for p in places]
    names += [("Trường Mầm non", p) for p in places]
    # Interleave levels so a small commune gets one school of each level first.
    return sorted(names, key=lambda n: places.index(n[1]))


def province_title(p: Place) -> str:
    """'tỉnh Nghệ An' / 'thành phố Hà Nội', as it follows 'Đảng bộ'."""
    return f"{p.level} {p.short}"


# Organisations directly under the province: base cells (chi bộ cơ sở) and base committees
# (with their own cells) of enterprises, hospitals and colleges. {p} is the province title.
BASE_CELLS = [
    ("enterprise", "Chi bộ Công ty TNHH MTV Xổ số kiến thiết {short}"),
    ("agency", "Chi bộ Ngân hàng Chính sách xã hội chi nhánh {p}"),
    ("health", "Chi bộ Bệnh viện Y học cổ truyền {p}"),
    ("school", "Chi bộ Trường Cao đẳng Y tế {short}"),
    ("enterprise", "Chi bộ Công ty Cổ phần Môi trường và Công trình đô thị {short}"),
    ("agency", "Chi bộ Quỹ Đầu tư phát triển {p}"),
    ("agency", "Chi bộ Đài Phát thanh và Truyền hình {short}"),
    ("enterprise", "Chi bộ Công ty Cổ phần Xe khách {short}"),
]
BASE_COMMITTEES = [
    (
        "enterprise",
        "Đảng bộ Công ty Cổ phần Cấp nước {short}",
        ["Nhà máy nước số 1", "Nhà máy nước số 2", "Phòng Kỹ thuật", "Xí nghiệp Xây lắp",
         "Phòng Kinh doanh", "Văn phòng Công ty"],
    ),
    (
        "health",
        "Đảng bộ Bệnh viện Đa khoa {p}",
        ["Khoa Nội", "Khoa Ngoại", "Khoa Nhi", "Khoa Sản", "Phòng Kế hoạch tổng hợp",
         "Khoa Cấp cứu"],
    ),
    (
        "school",
        "Đảng bộ Trường Cao đẳng Kỹ thuật {short}",
        ["Khoa Cơ khí", "Khoa Điện - Điện tử", "Khoa Công nghệ thông tin", "Phòng Đào tạo",
         "Khoa Kinh tế"],
    ),
    (
        "enterprise",
        "Đảng bộ Công ty Điện lực {short}",
        ["Điện lực khu vực 1", "Điện lực khu vực 2", "Điện lực khu vực 3", "Phòng Kỹ thuật",
         "Văn phòng Công ty"],
    ),
    (
        "agency",
        "Đảng bộ Cục Thuế {p}",
        ["Phòng Tổng hợp", "Phòng Kiểm tra", "Thuế cơ sở 1", "Thuế cơ sở 2", "Văn phòng Cục"],
    ),
    (
        "enterprise",
        "Đảng bộ Công ty Cổ phần Cảng và Vận tải {short}",
        ["Xí nghiệp Xếp dỡ", "Đội Vận tải", "Phòng Kinh doanh", "Văn phòng Công ty"],
    ),
]  # fmt: skip
