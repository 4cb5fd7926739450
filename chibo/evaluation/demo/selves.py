"""Members' self-assessments (bản kiểm điểm cá nhân) in the demo: the criteria of the year's
form (chibo.evaluation.criteria) answered in a member's words, the score of 366-QĐ/TW split
into its two parts, and the level the score gives (chibo.evaluation.criteria.level_for: the
service refuses a submission whose level the score does not give)."""

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from chibo import rules
from chibo.core.demo import Ids
from chibo.evaluation.models import Level, SelfAssessment

from .verdicts import score_range

ANSWERS_FIELD = SelfAssessment._meta.get_field("answers")

ANSWERS: dict[str, list[str]] = {
    "qualities": [
        "Luôn trung thành với mục tiêu, lý tưởng của Đảng; chấp hành nghiêm đường lối, chủ"
        " trương của Đảng, chính sách, pháp luật của Nhà nước. Giữ gìn phẩm chất đạo đức, lối"
        " sống giản dị, gần gũi nhân dân; không có biểu hiện suy thoái.",
        "Có lập trường tư tưởng vững vàng, gương mẫu thực hiện các quy định về những điều đảng"
        " viên không được làm. Tác phong làm việc dân chủ, khiêm tốn, đoàn kết với đồng chí,"
        " đồng nghiệp.",
        "Chấp hành nghiêm nguyên tắc tập trung dân chủ, sinh hoạt chi bộ đầy đủ, đóng đảng phí"
        " đúng quy định. Tích cực học tập, làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    ],
    "duties": [
        "Hoàn thành các nhiệm vụ chi bộ phân công: vận động các hộ gia đình giữ gìn vệ sinh"
        " môi trường, tham gia bảo hiểm y tế; theo dõi, giúp đỡ hộ khó khăn trong thôn.",
        "Hoàn thành tốt nhiệm vụ chuyên môn được giao, đúng tiến độ; tham gia cải cách hành"
        " chính, ứng dụng công nghệ thông tin trong công việc.",
        "Thực hiện đầy đủ nhiệm vụ đảng viên; nắm tình hình dư luận ở khu dân cư, báo cáo kịp"
        " thời với chi bộ; vận động nhân dân tham gia các phong trào của địa phương.",
    ],
    "pledge": [
        "Thực hiện đúng bản cam kết tu dưỡng, rèn luyện, phấn đấu đầu năm.",
        "Cơ bản thực hiện tốt các nội dung đã cam kết; còn chậm ở việc tự học nâng cao trình độ.",
    ],
    "earlier": ["Không có.", "Đã khắc phục hạn chế về thời gian dự sinh hoạt chi bộ."],
    "collective": [
        "Không có.",
        "Cùng chịu trách nhiệm về việc một số nhiệm vụ của chi bộ còn chậm.",
    ],
}
STRENGTHS = [
    "Nhiệt tình, có trách nhiệm với công việc; đoàn kết, gần gũi quần chúng.",
    "Gương mẫu chấp hành chủ trương của Đảng, pháp luật của Nhà nước; tích cực tham gia các"
    " phong trào ở địa phương.",
    "Hoàn thành công việc đúng hạn, có tinh thần học hỏi, sẵn sàng nhận nhiệm vụ.",
]
SHORTCOMINGS = [
    "Đôi lúc chưa mạnh dạn phê bình và tự phê bình.",
    "Việc nghiên cứu, học tập nghị quyết có lúc chưa sâu.",
    "Có lúc tham gia sinh hoạt chi bộ chưa đầy đủ do công việc gia đình.",
]
REMEDIES = [
    "Tích cực học tập, nâng cao trình độ lý luận chính trị; mạnh dạn đóng góp ý kiến trong"
    " sinh hoạt chi bộ.",
    "Sắp xếp công việc hợp lý để tham gia sinh hoạt đầy đủ, thực hiện tốt nhiệm vụ được giao.",
]


def self_row(
    rng: random.Random,
    ids: Ids,
    *,
    campaign_id: int,
    member_id: int,
    year: int,
    r: rules.Rules,
    level: str,
    submitted: dt.datetime | None,
    points: int | None = None,
) -> dict:
    """A self-assessment proposing `level` (scored in its range, or `points`), submitted at
    `submitted` (None: a draft, the scores and level still to give)."""
    form = r.evaluation_form or ""
    answers = {key: rng.choice(texts) for key, texts in ANSWERS.items()}
    if submitted is None:  # a draft: the criteria partly written, nothing scored or proposed
        answers = {"qualities": answers["qualities"]}
    row = {
        "id": ids.next(SelfAssessment),
        "campaign_id": campaign_id,
        "member_id": member_id,
        "year": year,
        "form": form,
        "answers": ANSWERS_FIELD.get_db_prep_value(answers, connection),
        "strengths": rng.choice(STRENGTHS),
        "shortcomings": rng.choice(SHORTCOMINGS),
        "remedies": rng.choice(REMEDIES),
        "proposed_level": level if submitted else "",
        "tasks_all_done": None,
        "general_score": None,
        "results_score": None,
        "exceeded_share": None,
        "submitted_at": None,
    }
    if submitted is None:
        row["shortcomings"] = row["remedies"] = ""
    else:
        row["submitted_at"] = connection.ops.adapt_datetimefield_value(submitted)
    if not (r.evaluation_points and r.evaluation_thresholds) or submitted is None:
        return row
    low, high = score_range(level, r)
    total = (
        points if points is not None else round(rng.triangular(low, high, low + (high - low) * 0.7))
    )
    parts = r.evaluation_points
    general = min(
        parts["general"], max(0, round(total * parts["general"] / 100) + rng.randint(-1, 1))
    )
    general = max(general, total - parts["results"])
    row["general_score"], row["results_score"] = general, total - general
    done = level in (Level.EXCELLENT, Level.GOOD)
    row["tasks_all_done"] = done
    needed = r.evaluation_exceeded_share or 0
    row["exceeded_share"] = (
        rng.randint(needed, min(100, needed + 30))
        if level == Level.EXCELLENT
        else (rng.randint(0, max(0, needed - 5)) if done else 0)
    )
    return row


def submitted_at(rng: random.Random, start: dt.date, end: dt.date) -> dt.datetime:
    """A moment of an evening or a lunch break between `start` and `end` (local time)."""
    day = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
    hour = rng.choice([11, 12, 20, 21, 21, 22])
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randrange(60))))
