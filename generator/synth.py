"""A synthetic but realistic catalogue of any size, for benchmarks and scale tests.

`synthesize(lectures=N, seed=S, out=DIR)` writes `DIR/catalog/` in the editors'
format: Baoji's 12 districts and 高新区, the topics, ~2,000 guidance stations
and parent schools, ~1,000 lecturers, ~500 venues and practice bases, and N
lectures spread over as many school years as a real archive of that size would
span (10,000–20,000 lectures a year).  Lecture pages carry 1,000–1,500 Chinese
characters, like real ones.

Everything `lvyin validate` checks holds by construction: ids are unique,
coordinates lie inside Baoji, online and hybrid lectures have a link, and no
place or lecturer is booked twice at once, because every lecture takes one of a
few non-overlapping time slots of its day and a (place, day, slot) or
(lecturer, day, slot) is handed out once.  The output depends only on the
arguments: the same seed gives byte-identical files.
"""

from __future__ import annotations

import math
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .model import BAOJI_LAT, BAOJI_LNG

# The archive ends with the school year 2026/27; a benchmark's "today" sits inside it.
LAST_DAY = date(2027, 8, 31)
TODAY = date(2027, 3, 1)
LECTURES_PER_YEAR = 20_000
# Lectures per catalogue file: a month of a big archive is split so no file nears the reader's limits.
PER_FILE = 150
# A share of lectures belongs to series of a fixed size, so a lecture page lists the same number of siblings at any N.
SERIES_SHARE = 0.12
SERIES_SIZE = 8

# Non-overlapping slots of a day: two lectures in different slots never clash.
SLOTS = [("08:30", "10:00"), ("10:15", "11:45"), ("14:00", "15:30"), ("15:45", "17:15"), ("19:00", "20:30")]

# id, name, kind, description, centre (lat, lng, gcj02), weight (share of stations and lectures)
DISTRICTS = [
    ("weibin", "渭滨区", "区", "宝鸡市中心城区之一，市级行政、文化场馆集中，清姜河、渭河穿城而过。", 34.355, 107.150, 14),
    ("jintai", "金台区", "区", "宝鸡市中心城区之一，位于渭河北岸，因金台观得名，老城社区和学校密集。", 34.378, 107.135, 13),
    ("chencang", "陈仓区", "区", "位于宝鸡市东部，区政府驻虢镇街道，城乡结合、农村学校和社区并重。", 34.370, 107.380, 12),
    ("fengxiang", "凤翔区", "区", "秦雍城故地，2021 年撤县设区，苹果产业发达，是劳动教育实践的重要阵地。", 34.520, 107.400, 9),
    ("qishan", "岐山县", "县", "周文化发祥地，周公庙、臊子面闻名全国，蔡家坡镇为工业重镇。", 34.445, 107.620, 9),
    ("fufeng", "扶风县", "县", "周原遗址和法门寺所在地，青铜器文化资源丰富，适合开展博物馆研学。", 34.375, 107.895, 8),
    ("meixian", "眉县", "县", "北宋思想家张载故里，猕猴桃之乡，横渠书院是家风教育的重要场所。", 34.275, 107.750, 7),
    ("longxian", "陇县", "县", "位于宝鸡市西北部，地处关山脚下，农村留守儿童关爱是家庭教育工作重点。", 34.893, 106.860, 6),
    ("qianyang", "千阳县", "县", "位于千河流域，矮砧苹果产业兴旺，城乡社区家长学校覆盖面持续扩大。", 34.642, 107.130, 5),
    ("linyou", "麟游县", "县", "地处渭北山区，唐代九成宫遗址所在地，山区学校家校沟通任务较重。", 34.678, 107.795, 4),
    ("fengxian", "凤县", "县", "地处秦岭腹地，县城双石铺镇，羌族文化和灵官峡红色文学资源独具特色。", 33.912, 106.525, 4),
    ("taibai", "太白县", "县", "秦岭主峰太白山所在地，高山蔬菜产业特色鲜明，山区留守儿童家庭较多。", 34.060, 107.320, 3),
    ("gaoxin", "高新区", "功能区", "宝鸡高新技术产业开发区，新建社区和学校集中，年轻家庭比例较高。", 34.350, 107.300, 6),
]

# id, name, description, audiences, title stems
TOPICS = [
    ("reading", "亲子阅读", "引导子女进行有益的课外阅读，推广家庭亲子共读，用好图书馆等公共阅读资源。", ["preschool", "primary"],
     ["亲子共读绘本的三个方法", "从“要我读”到“我要读”：培养孩子的阅读习惯", "睡前十五分钟：打造家庭阅读时光", "图书馆里的周末：带孩子用好公共阅读资源", "整本书阅读怎么陪"]),
    ("physical-exercise", "体育锻炼", "引导子女开展适宜的体育锻炼，保证每天户外活动和运动时间，促进健康身心。", ["primary", "junior"],
     ["每天锻炼一小时：家庭运动处方", "周末带娃去运动：亲子体育游戏", "体育中考前，家长能做什么", "跳绳、跑步与睡眠：孩子的体质从家里练起"]),
    ("housework", "家务劳动", "让孩子从事力所能及的家务劳动，在整理、洗涤、烹饪中养成自理能力和责任意识。", ["preschool", "primary"],
     ["家务劳动清单：不同年龄能做什么", "家务不是惩罚：劳动习惯的养成", "让孩子从整理书包开始学会自理", "一顿家常饭：和孩子一起下厨房"]),
    ("internet-addiction", "防止网络沉迷", "帮助家长科学管理孩子使用手机和网络，预防网络游戏、短视频沉迷，营造清朗的家庭网络环境。", ["primary", "junior", "senior"],
     ["帮孩子走出手机依赖", "网课之后，电子产品怎么管", "短视频时代的家庭约定", "孩子沉迷游戏，家长先别急着没收手机"]),
    ("eyesight", "保护视力", "普及近视防控知识，指导家庭落实户外活动、读写姿势和电子屏幕时间管理，保护孩子视力健康。", ["preschool", "primary"],
     ["科学用眼，远离近视", "户外两小时：近视防控的家庭功课", "读写姿势与台灯：家里的护眼细节"]),
    ("safety", "安全监护", "加强家庭安全监护，预防溺水、交通、火灾、性侵害等意外伤害，提升孩子自护能力。", ["preschool", "primary", "grandparents"],
     ["居家安全与儿童意外伤害预防", "暑期防溺水：家长必须知道的五件事", "上下学路上的交通安全", "教孩子保护自己的身体"]),
    ("mental-health", "心理健康", "对应“和风计划”和“新时代·新心育”向阳行动，帮助家长识别孩子的情绪变化，及时给予心理支持。", ["primary", "junior", "senior"],
     ["读懂孩子的情绪：做孩子的情绪教练", "孩子说“不想上学”，家长怎么办", "青春期的压力与情绪管理", "考试焦虑：陪孩子放下包袱"]),
    ("anti-bullying", "防欺凌", "对应防欺凌“暖阳计划”，指导家长识别、预防和处置校园欺凌，保护孩子身心安全。", ["primary", "junior"],
     ["孩子被欺负了不敢说怎么办", "别让玩笑变伤害：教孩子识别欺凌", "校园欺凌的法律后果：家长应知应会", "孩子在学校和同学闹矛盾，家长怎样处理"]),
    ("left-behind", "留守儿童关爱", "指导留守儿童家长定期与子女保持联系，落实委托照护责任，让留守孩子感受亲情与关爱。", ["left-behind", "grandparents"],
     ["山里留守娃的成长守护", "视频通话里的家庭教育", "委托照护怎么做：临时监护人的责任", "从家访看留守孩子的需要"]),
    ("children-in-need", "困境儿童关爱", "对应关爱特殊困难儿童“春雨计划”，为困境儿童家庭提供政策解读、心理支持和结对帮扶信息。", ["in-need"],
     ["困境家庭政策解读：助学资助与关爱服务", "春雨计划：困境儿童家庭的支持与关爱", "特殊需要儿童家庭的教育支持"]),
    ("family-tradition", "家风建设", "培育向上向善的家庭文化，传承优秀家训家风，践行爱国爱家、相亲相爱的家庭文明新风尚。", ["all", "grandparents"],
     ["好家风·好家长：宝鸡家训故事分享", "家规家训怎么立：写一份自家的家训", "文明家庭是怎样炼成的", "从张载“四为”说起：家风里的志向"]),
    ("scientific-parenting", "科学教子", "讲究教育方式方法，理性确定子女成长目标，多陪伴多关爱，对不良行为及时劝诫和管教。", ["all"],
     ["规则与自由：温和而坚定的家庭教育", "表扬与批评的艺术", "理性确定成长目标：不攀比、不焦虑", "辅导作业不崩溃：小学家长的陪学方法", "“双减”之后：孩子的课余时间怎么安排"]),
    ("labor-education", "劳动教育", "依托校外劳动教育实践基地，带领孩子参加农业生产、社会劳动，体会劳动的价值。", ["primary", "junior"],
     ["果园里的劳动课：跟着果农学种苹果", "猕猴桃园里的劳动教育", "农耕节气课：带孩子认识二十四节气", "一碗臊子面里的劳动与传承"]),
    ("law-education", "法治教育", "宣传《家庭教育促进法》《未成年人保护法》等法律，增强家长依法带娃、孩子知法守法的意识。", ["all"],
     ["《家庭教育促进法》家长读本", "未成年人保护法与家长的监护责任", "反诈进家庭：孩子的零花钱与网络诈骗"]),
    ("home-school", "家校沟通", "密切家校双向沟通，用好家长会、家校联系手册和家访，让家长和老师形成教育合力。", ["primary", "junior", "senior"],
     ["家长会之后：如何与老师有效沟通", "家长群里的沟通礼仪", "家校联系手册怎么用", "老师来家访，家长准备什么", "家委会怎样发挥作用"]),
    ("grandparenting", "祖辈教养", "面向承担带娃任务的爷爷奶奶、外公外婆，讲解隔代教养的方法，促进两代人教育观念协调一致。", ["grandparents"],
     ["隔代教养的“度”：疼爱不溺爱", "两代人教育观念不一致怎么办", "爷爷奶奶的陪读课", "祖辈家长的居家安全课"]),
    ("adolescence", "青春期成长", "帮助家长了解青春期孩子的生理、心理变化，改善亲子沟通，陪伴孩子平稳度过青春期。", ["junior", "senior"],
     ["《如何陪孩子度过青春期》", "青春期孩子的心理变化与亲子沟通", "孩子“早恋”了怎么办", "关上房门的孩子：青春期的边界感"]),
    ("social-practice", "社会实践", "指导家长用好博物馆、科技馆、研学基地等社会育人资源，带孩子参加志愿服务和职业体验。", ["primary", "junior"],
     ["带孩子走进博物馆：周原青铜器的故事", "科技馆里的亲子科学课", "假期研学怎么选", "志愿服务从家庭开始：亲子护河行动", "职业体验日：带孩子认识身边的职业"]),
    ("school-readiness", "幼小衔接", "帮助学前儿童家长做好入学准备，培养孩子的生活自理、规则意识和学习习惯。", ["preschool"],
     ["一年级新生适应：习惯比知识更重要", "幼小衔接不是提前学", "入学前的三个月：家长准备清单"]),
]

# What a lecture's description says, by topic: points of the talk (used as a list) and a framing sentence.
TOPIC_POINTS = {
    "reading": ["怎样为不同年龄的孩子挑书", "共读时提问和复述的技巧", "家庭书架和阅读角的布置", "把读书和出游、手工结合起来"],
    "physical-exercise": ["每天户外活动的时间安排", "适合在小区和院子里做的亲子运动", "运动和睡眠、饮食的关系", "怎样帮孩子坚持下去"],
    "housework": ["各年龄段能做的家务清单", "怎样分派家务而不变成惩罚", "用家庭会议商量分工", "劳动之后的肯定和反馈"],
    "internet-addiction": ["手机依赖背后的心理需要", "和孩子一起订“用屏约定”", "用替代活动填满空闲时间", "家长以身作则放下手机"],
    "eyesight": ["近视发生的原因和早期信号", "读写姿势与光线", "电子屏幕使用的“20-20-20”法则", "定期检查视力的做法"],
    "safety": ["家中用电、用火和用药安全", "防溺水“六不”和遇险自救", "上下学路上的交通规则", "教孩子识别和拒绝不当接触"],
    "mental-health": ["识别孩子情绪变化的信号", "倾听而不急于说教", "帮孩子给情绪起名字", "什么时候需要寻求专业帮助"],
    "anti-bullying": ["欺凌与一般冲突的区别", "孩子不愿意说时怎样发现", "与学校沟通处置的步骤", "教孩子做勇敢的旁观者"],
    "left-behind": ["固定时间的视频通话怎么聊", "委托照护人的职责", "留守孩子的情绪和学习支持", "返乡团聚时的亲子相处"],
    "children-in-need": ["助学资助和救助政策", "申请关爱服务的途径", "心理支持与结对帮扶", "社区和学校可以提供的帮助"],
    "family-tradition": ["宝鸡历史上的家训故事", "怎样和孩子一起写家训", "家风在日常小事里的样子", "文明家庭的评选和榜样"],
    "scientific-parenting": ["温和而坚定的规则怎么立", "表扬具体、批评对事", "理性确定成长目标", "陪伴的质量比时间更重要"],
    "labor-education": ["农事劳动的安全与分工", "在劳动中学数学、学科学", "劳动成果的展示与分享", "把劳动习惯带回家"],
    "law-education": ["《家庭教育促进法》对家长的要求", "监护责任与法律后果", "孩子的个人信息和财产保护", "常见网络诈骗的识别"],
    "home-school": ["家长会前后怎样和老师沟通", "家长群里说话的分寸", "家校联系手册的用法", "家访时家长可以谈什么"],
    "grandparenting": ["疼爱与溺爱的分界", "和子女统一教育口径", "接送和看护中的安全细节", "祖辈也能做的亲子阅读"],
    "adolescence": ["青春期的生理和心理变化", "怎样和关上房门的孩子说话", "异性交往的引导", "学业压力和亲子冲突的化解"],
    "social-practice": ["怎样选择适合孩子的研学活动", "参观前的准备和参观后的分享", "志愿服务的亲子参与", "职业体验里的生涯启蒙"],
    "school-readiness": ["作息和自理能力的准备", "规则意识和专注力", "入学前的心理准备", "不提前学也能衔接好"],
}

OPENINGS = [
    "{topic}是家长们{month}咨询最多的话题之一。本场讲座由{speaker}主讲，结合{district}家庭的真实案例，讲清楚家长最关心的几个问题。",
    "不少家长反映，道理都懂，做起来却难。{speaker}从多年一线工作中的案例出发，和家长一起梳理{topic}中的常见困惑，给出在家就能用的方法。",
    "按照全市家庭教育公益大讲堂的安排，{place}本月邀请{speaker}开讲。讲座围绕{topic}展开，面向{audience}家长，现场留出充足的提问时间。",
    "家庭是孩子的第一所学校，家长是孩子的第一任老师。本场讲座聚焦{topic}，帮助{audience}家长把科学的理念变成每天的小习惯。",
]
MIDDLES = [
    "讲座分为讲解、案例和互动三个环节。讲解部分用通俗的语言介绍基本道理；案例部分选取{district}城乡家庭的真实故事，不点名、不评判；互动环节请家长分组讨论，说说自家的做法和难处。",
    "{speaker}将结合问卷中家长提出的问题逐一解答，并现场演示几个简单易学的亲子活动。讲座中提到的书目、表格和家庭约定范本，会后由站点工作人员发到家长群里。",
    "很多问题并不是孩子“不听话”，而是家长没有找到合适的方法。讲座会用一两个生活中的小场景，让家长换位体会孩子的感受，再一起商量可行的做法。",
    "讲座不讲大道理，只讲家长回家就能试的办法。每个方法都配有一个宝鸡家庭的小故事，既有城里双职工家庭，也有山区的留守家庭和隔代带娃的家庭。",
]
CLOSINGS = [
    "欢迎爸爸妈妈、爷爷奶奶结伴参加。请提前十分钟入场，有特殊需要的家长可以提前联系站点，我们会尽量安排。",
    "讲座结束后，讲师将留下半小时个别答疑。家长如有不便在现场提出的问题，可以写在纸条上交给工作人员，讲师会在下一次活动中统一回应。",
    "本场讲座免费参加，名额有限，报满为止。讲座中不推销任何课程和商品，如遇有人借讲座名义收费，请向主办单位反映。",
    "参加讲座的家长可领取《家庭教育促进法》宣传手册和本期家庭教育指导卡片，也可以扫码加入站点家长群，了解后续活动安排。",
]
SPEAKERS = [
    "主讲人{speaker}来自{org}，从事家庭教育和青少年工作 {years} 年，是宝鸡市家庭教育讲师团成员。讲课通俗、接地气，常被家长称为“身边的育儿顾问”。",
    "{speaker}现任职于{org}，{years} 年来走进城乡社区、学校和村组开展家长课堂，熟悉{district}家庭的实际情况，讲座中的案例都来自一线。",
    "本场主讲{speaker}（{org}）长期参与“万名教师访万家”和社区家长学校工作，近 {years} 年累计接待家长咨询上千人次，擅长把政策和道理讲成家常话。",
]
LOGISTICS = [
    "请家长自带笔记本，现场会发放练习用的记录表。",
    "讲座期间站点设有儿童看护角，由志愿者照看 3 岁以上的孩子。",
    "线上参加的家长请提前十分钟进入直播间，用实名或“孩子姓名+家长”备注，便于答疑。",
    "场地位于一楼，方便老人和推婴儿车的家长进出。",
    "如遇恶劣天气，讲座改期将在站点公告栏和家长群通知。",
]

SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("赵", "zhao"),
            ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"),
            ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"),
            ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("韩", "han"), ("冯", "feng"), ("董", "dong"),
            ("程", "cheng"), ("曹", "cao"), ("袁", "yuan"), ("邓", "deng"), ("史", "shi"), ("雷", "lei"), ("范", "fan"), ("薛", "xue")]
GIVEN = [("慧", "hui"), ("敏", "min"), ("建", "jian"), ("国", "guo"), ("艳", "yan"), ("萍", "ping"), ("雪", "xue"), ("蕾", "lei"),
         ("军", "jun"), ("芳", "fang"), ("静", "jing"), ("丽", "li"), ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("洋", "yang"),
         ("勇", "yong"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"),
         ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"), ("红", "hong"), ("玲", "ling"), ("晓", "xiao"), ("文", "wen"),
         ("宁", "ning"), ("欣", "xin"), ("婷", "ting"), ("瑞", "rui"), ("晨", "chen"), ("阳", "yang"), ("佳", "jia"), ("琳", "lin")]
LECTURER_ROLES = [
    ("高级教师", "{district}{word}初级中学"), ("一级教师", "{district}{word}小学"), ("心理健康教师", "{district}{word}中学"),
    ("德育主任", "{district}{word}小学"), ("幼儿园园长", "{district}{word}幼儿园"), ("国家二级心理咨询师", "{district}心理健康服务中心"),
    ("家庭教育指导师", "{district}妇女联合会"), ("中级社会工作师", "{district}{word}社会工作服务站"), ("律师", "陕西{word}律师事务所"),
    ("主治医师", "{district}人民医院"), ("检察官", "{district}人民检察院"), ("社区民警", "{district}公安分局{word}派出所"),
    ("退休教师、“五老”宣讲员", "{district}关心下一代工作委员会"), ("副教授", "宝鸡文理学院教育学院"), ("馆员", "{district}图书馆"),
]
PLACE_WORDS = ["清姜", "新华", "胜利", "和平", "东风", "建设", "金陵", "姜谭", "经二路", "石坝河", "西关", "中山", "东岭", "卧龙寺",
               "千渭", "陈仓园", "渭阳", "蟠龙", "太公庙", "群众路", "宝光", "马营", "钓渭", "神农", "高家", "八鱼", "磻溪",
               "天王", "慕仪", "虢镇", "阳平", "周原", "城关", "柳林", "横水", "蔡家坡", "益店", "凤鸣", "召公", "法门",
               "杏林", "绛帐", "金渠", "首善", "汤峪", "槐芽", "东风", "咸宜", "八渡", "崔木", "两亭", "双石铺", "嘴头", "桃川"]
VILLAGE_SUFFIX = ["村", "社区"]
STATION_STREETS = ["街道", "镇"]


@dataclass
class _Out:
    """Files under construction: path → lines."""

    files: dict[str, list[str]] = field(default_factory=dict)

    def add(self, path: str, text: str) -> None:
        self.files.setdefault(path, []).append(text)


def _plain(text: str) -> str:
    """A YAML scalar for `text`: plain when that reads back unchanged, else double-quoted."""
    unsafe = (not text or text[0] in "-?:,[]{}#&*!|>'\"%@` " or text[-1] == " " or ": " in text or " #" in text
              or text.endswith(":") or "\n" in text or text[0].isdigit())
    if not unsafe:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(text: str, indent: str = "    ") -> str:
    return "|\n" + "\n".join(indent + line if line else "" for line in text.split("\n"))


def _entry(fields: list[tuple[str, object]]) -> str:
    """One list item: `- key: value` lines; values are str, list[str] (flow ids), dict (nested) or block text."""
    lines = []
    for i, (key, value) in enumerate(fields):
        prefix = "- " if i == 0 else "  "
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], tuple):  # list of text lines
            lines.append(f"{prefix}{key}:")
            lines.extend(f"    - {_plain(item[0])}" for item in value)
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}: [{', '.join(value)}]")
        elif isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            lines.extend(f"    {k}: {v}" for k, v in value.items())
        elif isinstance(value, _Block):
            lines.append(f"{prefix}{key}: {_block(value.text)}")
        else:
            lines.append(f"{prefix}{key}: {value}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Block:
    text: str


def _q(text: str) -> str:
    return _plain(text)


def _location(rng: random.Random, lat: float, lng: float, spread: float) -> dict[str, str]:
    # Keep well inside Baoji's box whatever the draw.
    la = min(max(lat + rng.uniform(-spread, spread), BAOJI_LAT[0] + 0.2), BAOJI_LAT[1] - 0.2)
    ln = min(max(lng + rng.uniform(-spread, spread), BAOJI_LNG[0] + 0.2), BAOJI_LNG[1] - 0.2)
    return {"lat": f"{la:.4f}", "lng": f"{ln:.4f}", "crs": "gcj02"}


def _weighted_districts(rng: random.Random, count: int) -> list[int]:
    """District indexes for `count` items in proportion to the weights, in a shuffled but fixed order."""
    total = sum(d[6] for d in DISTRICTS)
    result: list[int] = []
    for i, d in enumerate(DISTRICTS):
        result += [i] * round(count * d[6] / total)
    while len(result) < count:
        result.append(len(result) % len(DISTRICTS))
    result = result[:count]
    rng.shuffle(result)
    return result


def synthesize(out: Path | str, lectures: int, seed: int = 1, *, stations: int = 2000, lecturers: int = 1000,
               venues: int = 300, bases: int = 200) -> Path:
    """Write `out/catalog/` and return its path; an existing `out/catalog/` is replaced."""
    if lectures < 0:
        raise ValueError("lectures must be >= 0")
    rng = random.Random(seed)
    files = _Out()
    _districts_and_topics(files)
    places = _places(rng, files, stations, venues, bases)
    people = _lecturers(rng, files, lecturers)
    _lectures(rng, files, lectures, places, people)
    files.add("site.yaml", "name: 宝鸡市家庭教育公益大讲堂\nurl: https://jtjy.example.cn/\n"
                           "organizer: 宝鸡市妇女联合会　宝鸡市教育局\ndemo: true\n")
    root = Path(out) / "catalog"
    if root.exists():
        shutil.rmtree(root)
    for rel, parts in files.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(parts), encoding="utf-8", newline="\n")
    return root


def _districts_and_topics(files: _Out) -> None:
    files.add("districts.yaml", "# 宝鸡市县区（合成的基准测试数据）\n\n")
    for d in DISTRICTS:
        files.add("districts.yaml", _entry([("id", d[0]), ("name", d[1]), ("kind", d[2]), ("description", _q(d[3]))]) + "\n")
    files.add("topics.yaml", "# 讲座主题\n\n")
    for t in TOPICS:
        files.add("topics.yaml", _entry([("id", t[0]), ("name", t[1]), ("description", _q(t[2]))]) + "\n")


@dataclass
class _Place:
    id: str
    name: str
    district: int
    kind: str  # venue | base | station


def _places(rng: random.Random, files: _Out, stations: int, venues: int, bases: int) -> list[_Place]:
    places: list[_Place] = []
    venue_kinds = [("library", "图书馆", "library"), ("museum", "博物馆", "museums"), ("science", "科普教育基地", "education-bases"),
                   ("legal", "法治教育基地", "education-bases"), ("patriotic", "爱国主义教育基地", "education-bases"),
                   ("culture", "文化馆", "culture-sports"), ("sports", "体育馆", "culture-sports")]
    for n, di in enumerate(_weighted_districts(rng, venues)):
        d = DISTRICTS[di]
        kind, label, file = venue_kinds[n % len(venue_kinds)]
        word = rng.choice(PLACE_WORDS)
        name = f"{d[1]}{label}" if n < len(DISTRICTS) * len(venue_kinds) and rng.random() < 0.3 else f"{d[1]}{word}{label}"
        pid = f"{d[0]}-{kind}-{n + 1:04d}"
        places.append(_Place(pid, name, di, "venue"))
        admission = rng.choice(["free", "free", "free", "discount"])
        files.add(f"venues/{file}.yaml", _entry([
            ("id", pid), ("name", _q(name)), ("kind", kind), ("district", d[0]),
            ("address", _q(f"{d[1]}{word}路 {rng.randint(1, 300)} 号")), ("location", _location(rng, d[4], d[5], 0.05)),
            ("hours", _q("周二至周日 9:00—17:30（周一闭馆）")), ("admission", admission),
            ("admission_note", _q("凭身份证预约入馆，未成年人须由家长陪同") if admission == "free" else _q("学生凭学生证半价")),
            ("phone", f'"0917-{rng.randint(1000000, 9999999)}"'), ("audiences", ["preschool", "primary", "junior", "all"]),
            ("description", _q(f"{d[1]}的{label}，面向中小学生和家庭开放，设有报告厅和亲子活动区，常年承接家庭教育公益讲座。")),
        ]) + "\n")
    base_kinds = [("labor", "劳动教育实践基地", "labor"), ("study", "研学基地", "study"), ("volunteer", "志愿服务基地", "other"),
                  ("career", "职业体验基地", "other")]
    for n, di in enumerate(_weighted_districts(rng, bases)):
        d = DISTRICTS[di]
        kind, label, file = base_kinds[n % len(base_kinds)]
        word = rng.choice(PLACE_WORDS)
        pid = f"{d[0]}-{kind}-base-{n + 1:04d}"
        name = f"{d[1]}{word}{label}"
        places.append(_Place(pid, name, di, "base"))
        files.add(f"bases/{file}.yaml", _entry([
            ("id", pid), ("name", _q(name)), ("kind", kind), ("district", d[0]),
            ("address", _q(f"{d[1]}{word}镇{rng.choice(PLACE_WORDS)}村")), ("location", _location(rng, d[4], d[5], 0.08)),
            ("operator", _q(f"{d[1]}{word}专业合作社")), ("ages", '"6-15"'), ("capacity", str(rng.choice([40, 60, 80, 120]))),
            ("booking", _q("学校或家庭提前一周电话预约，注明人数和年龄")),
            ("programs", [("春季播种与育苗",), ("夏季田间管理",), ("秋收采摘与分拣",), ("亲子农家饭制作",)]),
            ("phone", f'"0917-{rng.randint(1000000, 9999999)}"'),
            ("description", _q(f"依托{d[1]}{word}的产业资源建设的{label}，由当地师傅带领孩子参与力所能及的劳动和研学项目。")),
        ]) + "\n")
    for n, di in enumerate(_weighted_districts(rng, stations)):
        d = DISTRICTS[di]
        word, street_word = rng.choice(PLACE_WORDS), rng.choice(PLACE_WORDS)
        street = street_word + rng.choice(STATION_STREETS)
        roll = rng.random()
        if roll < 0.45:
            kind, host = "community", f"{word}社区居委会"
            name = f"{d[1]}{street}{word}社区家庭教育指导服务站"
        elif roll < 0.8:
            kind, host = "village", f"{word}村委会"
            name = f"{d[1]}{street}{word}村家庭教育指导服务站"
        else:
            school = f"{d[1]}{word}{rng.choice(['小学', '初级中学', '中心小学', '幼儿园'])}"
            kind, host, name = "school", school, f"{school}家长学校"
        pid = f"{d[0]}-{kind}-{n + 1:04d}"
        places.append(_Place(pid, name, di, "station"))
        files.add(f"stations/{d[0]}.yaml", _entry([
            ("id", pid), ("name", _q(name)), ("kind", kind), ("district", d[0]), ("street", _q(street)),
            ("address", _q(f"{d[1]}{street}{word}{'社区服务中心二楼' if kind == 'community' else '村委会院内' if kind == 'village' else '校内'}")),
            ("location", _location(rng, d[4], d[5], 0.1)), ("host", _q(host)),
            ("phone", f'"0917-{rng.randint(1000000, 9999999)}"'), ("hours", _q("周一至周五 8:30—12:00，14:30—18:00")),
            ("description", _q(f"服务{word}一带的家庭，每年至少组织 4 次普惠性家庭教育指导活动。")),
        ]) + "\n")
    return places


@dataclass
class _Person:
    id: str
    name: str
    district: int | None  # None: city level
    topics: list[int]
    org: str


def _lecturers(rng: random.Random, files: _Out, count: int) -> list[_Person]:
    people: list[_Person] = []
    seen: set[str] = set()
    districts = _weighted_districts(rng, count)
    for n in range(count):
        sur = rng.choice(SURNAMES)
        given = [rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2]))]
        name = sur[0] + "".join(g[0] for g in given)
        base_id = f"{sur[1]}-{''.join(g[1] for g in given)}"
        pid = base_id if base_id not in seen else f"{base_id}-{n + 1}"
        seen.add(pid)
        city = n % 7 == 0
        di = None if city else districts[n]
        topics = sorted(rng.sample(range(len(TOPICS)), rng.randint(2, 4)))
        role, org = rng.choice(LECTURER_ROLES)
        org = org.format(district="宝鸡市" if city else DISTRICTS[di][1], word=rng.choice(PLACE_WORDS))
        people.append(_Person(pid, name, di, topics, org))
        names = "、".join(TOPICS[t][1] for t in topics)
        bio = (f"{org}{role}，{'市级' if city else DISTRICTS[di][1]}家庭教育讲师团成员，擅长{names}等主题。\n\n"
               f"近年来在城乡社区、学校和场馆开展家长课堂 {rng.randint(10, 200)} 余场，讲课**通俗、接地气**，善于用身边的案例回答家长的问题。")
        fields: list[tuple[str, object]] = [
            ("id", pid), ("name", name), ("title", _q(role)), ("organization", _q(org)), ("level", "city" if city else "county")]
        if not city:
            fields.append(("district", DISTRICTS[di][0]))
        fields += [("topics", [TOPICS[t][0] for t in topics]), ("bio", _Block(bio)),
                   ("private", {"phone": f'"1{rng.randint(3000000000, 9999999999)}"', "notes": "周末可安排县区巡讲"})]
        files.add(f"lecturers/{'city' if city else DISTRICTS[di][0]}.yaml", _entry(fields) + "\n")
    return people


def _lectures(rng: random.Random, files: _Out, count: int, places: list[_Place], people: list[_Person]) -> None:
    years = max(1, math.ceil(count / LECTURES_PER_YEAR))
    first = date(LAST_DAY.year - years, 9, 1)
    days = (LAST_DAY - first).days + 1
    by_district: dict[int, list[_Place]] = {}
    for p in places:
        by_district.setdefault(p.district, []).append(p)
    people_by_district: dict[int | None, list[_Person]] = {}
    for person in people:
        people_by_district.setdefault(person.district, []).append(person)
    busy: set[tuple[str, int, int]] = set()  # (place or lecturer id, day, slot)
    districts = _weighted_districts(rng, max(count, 1))
    series_lines: list[str] = []
    open_series: dict[int, tuple[str, int]] = {}  # district → (series id, lectures so far)
    series_count = 0
    months: dict[str, list[str]] = {}
    for n in range(count):
        di = districts[n]
        d = DISTRICTS[di]
        # Evenly over the span, with the day's slot drawn at random.
        day = min(days - 1, n * days // count + rng.randint(0, 2))
        slot = rng.randrange(len(SLOTS))
        fmt = rng.choices(["offline", "hybrid", "online"], [75, 15, 10])[0]
        topic_i = rng.randrange(len(TOPICS))
        topic = TOPICS[topic_i]
        # Find a free place and lecturer for this day and slot; move to another slot if needed.
        place = person = None
        for attempt in range(40):
            s = (slot + attempt) % len(SLOTS)
            dd = min(days - 1, day + attempt // len(SLOTS))
            cand_place = None
            if fmt != "online":
                pool = by_district.get(di) or places
                cand_place = rng.choice(pool)
                if (cand_place.id, dd, s) in busy:
                    continue
            pool_people = people_by_district.get(di, []) if rng.random() < 0.7 else people_by_district.get(None, [])
            cand_person = rng.choice(pool_people or people)
            if (cand_person.id, dd, s) in busy:
                continue
            place, person, slot, day = cand_place, cand_person, s, dd
            break
        else:  # pragma: no cover - only with absurdly few places or lecturers
            raise RuntimeError("could not find a free slot; give more places or lecturers")
        busy.add((person.id, day, slot))
        if place:
            busy.add((place.id, day, slot))
        when = first + timedelta(days=day)
        past = when < TODAY
        lid = f"{when.isoformat()}-{topic[0]}-{n + 1}"
        stem = rng.choice(topic[4])
        title = stem if rng.random() < 0.6 else f"{stem}（{d[1]}{rng.choice(['专场', '站', '家长课堂'])}）"
        audiences = sorted(set(topic[3]) | ({"grandparents"} if rng.random() < 0.15 else set()))
        topics = [topic[0]] + ([TOPICS[t][0] for t in [rng.randrange(len(TOPICS))] if t != topic_i] if rng.random() < 0.3 else [])
        status = "done" if past else "scheduled"
        roll = rng.random()
        status_note = None
        if roll < 0.03:
            status, status_note = "cancelled", "因场地临时检修，本场讲座取消，给家长带来不便敬请谅解。"
        elif roll < 0.05:
            status, status_note = "postponed", "因天气原因延期，新的时间将在站点家长群通知。"
        series_id = None
        if rng.random() < SERIES_SHARE:
            current = open_series.get(di)
            if current is None or current[1] >= SERIES_SIZE:
                series_count += 1
                series_id = f"{d[0]}-{topic[0]}-series-{series_count}"
                year = when.year
                series_lines.append(_entry([
                    ("id", series_id), ("title", _q(f"{year} 年{d[1]}“{topic[1]}”家长课堂（第 {series_count} 期）")),
                    ("organizer", _q(f"{d[1]}妇联、{d[1]}教育局")),
                    ("description", _q(f"{d[1]}围绕{topic[1]}组织的系列家长课堂，由市县两级讲师团成员主讲。")),
                ]) + "\n")
                current = (series_id, 0)
            series_id = current[0]
            open_series[di] = (series_id, current[1] + 1)
        speaker = f"{person.name}老师"
        audience = "、".join(sorted({_AUD[a] for a in audiences}))
        fill = {"topic": topic[1], "month": f"在{_SEASONS[(when.month % 12) // 3]}", "speaker": speaker, "district": d[1],
                "place": place.name if place else "线上课堂", "audience": audience}
        points = rng.sample(TOPIC_POINTS[topic[0]], 3)
        description = "\n\n".join([
            rng.choice(OPENINGS).format(**fill),
            f"{topic[2]}本场讲座主要讲三点：",
            "\n".join(f"- {p}" for p in points),
            *[m.format(**fill) for m in rng.sample(MIDDLES, 2)],
            rng.choice(SPEAKERS).format(**fill, org=person.org, years=rng.randint(5, 25)),
            rng.choice(LOGISTICS) + rng.choice(CLOSINGS),
        ])
        org = rng.choice([f"{d[1]}妇联", f"{d[1]}教育局", "市妇联", "市教育局", f"{d[1]}关工委"])
        online = f"https://live.bjjtjy.example.cn/room/{lid}" if fmt != "offline" else None
        registration = (f"https://www.bjjtjy.example.cn/signup/{lid}" if rng.random() < 0.5
                        else rng.choice(["电话报名：0917-" + str(rng.randint(1000000, 9999999)), "由班主任在班级家长群统一报名", "现场参加，无需报名"]))
        fields: list[tuple[str, object]] = [
            ("id", lid), ("title", _q(title)), ("date", when.isoformat()), ("start", SLOTS[slot][0]), ("end", SLOTS[slot][1]),
            ("lecturers", [person.id]), ("venue", place.id if place else None), ("format", fmt), ("online_url", online),
            ("audiences", audiences), ("topics", topics), ("series", series_id), ("organizer", _q(org)),
            ("registration", _q(registration)), ("capacity", str(rng.choice([40, 60, 80, 100, 200]))), ("status", status),
            ("status_note", _q(status_note) if status_note else None),
            ("replay", f"https://live.bjjtjy.example.cn/replay/{lid}" if past and fmt != "offline" and status == "done" else None),
            ("description", _Block(description)),
        ]
        months.setdefault(when.strftime("%Y-%m"), []).append(_entry(fields) + "\n")
    files.add("series.yaml", "# 系列课程\n\n")
    if not series_lines:
        series_lines.append(_entry([("id", "demo-series"), ("title", "家庭教育系列讲座"), ("organizer", "市妇联"),
                                    ("description", "全市家庭教育公益大讲堂的系列讲座。")]) + "\n")
    for text in series_lines:
        files.add("series.yaml", text)
    for month, entries in sorted(months.items()):
        parts = [entries[i:i + PER_FILE] for i in range(0, len(entries), PER_FILE)]
        for k, part in enumerate(parts):
            name = f"lectures/{month}.yaml" if len(parts) == 1 else f"lectures/{month}-part{k + 1}.yaml"
            files.add(name, f"# {month[:4]} 年 {int(month[5:])} 月讲座（合成数据）\n\n" + "".join(part))


_SEASONS = ["冬季", "春季", "夏季", "秋季"]
_AUD = {"preschool": "学前", "primary": "小学", "junior": "初中", "senior": "高中", "all": "全学段",
        "grandparents": "祖辈", "left-behind": "留守儿童", "in-need": "困境儿童"}
