"""Write a deterministic synthetic dangjian site of N stories, for benchmarks and stress tests.

    python bench/make_site.py 5000 /tmp/site5000 [--seed 0] [--force]

The site follows the content format of the README (site.yaml, content/units.yaml,
content/activities.yaml, content/{branches,posts,cases}/*.md). Its text is assembled
from phrase tables built on the vocabulary of the example site and of the Zhenfeng
county organs investigation report. Only ``random.Random(seed)`` is used, so the same
N and seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random

EXIT_USAGE = 2
FIRST_DATE = dt.date(2008, 1, 1)
LAST_DATE = dt.date(2025, 12, 31)
PER_PAGE = 20

# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class UnitDef:
    """One unit of units.yaml and the party organisation that writes its stories."""

    id: str
    name: str
    parent: str | None
    description: str
    org: str
    positions: tuple[str, ...] = ()


UNITS: tuple[UnitDef, ...] = (
    UnitDef("xianwei", "中共贞丰县委", None,
            "全县党的领导机关，统一领导县直各部门党的建设工作。", "县委机关党委"),
    UnitDef("xianwei-bangongshi", "县委办公室", "xianwei",
            "负责县委日常运转和督促检查，联系北盘江镇银洞湾村、岔河沿村。", "县委办公室党支部",
            ("机要文件收发岗", "值班信息岗")),
    UnitDef("xianwei-duchashi", "县委督查室", "xianwei-bangongshi",
            "不定期对驻村干部在岗履职情况开展督查。", "县委办公室党支部", ("督查督办岗",)),
    UnitDef("xianwei-zuzhibu", "县委组织部", "xianwei",
            "负责全县党的组织建设和干部工作，牵头推进“四帮四促”和基层组织建设年活动。", "县委组织部党支部",
            ("党员信息管理岗", "组工干部接待窗口")),
    UnitDef("xianwei-dangjianban", "县委组织部党建办", "xianwei-zuzhibu",
            "负责基层党组织建设的日常指导，印制驻村干部民情日记、工作清单和台账。", "县委组织部党支部",
            ("基层党建指导岗",)),
    UnitDef("xianwei-dianjiao-zhongxin", "县党员电化教育中心", "xianwei-zuzhibu",
            "负责农村党员远程教育站点的建设和管理。", "县委组织部党支部", ("远程教育站点维护岗",)),
    UnitDef("xianwei-xuanchuanbu", "县委宣传部", "xianwei",
            "组织“当代贵州讲坛·对话贞丰”培训班，负责党建宣传报道。", "县委宣传部党支部", ("理论宣讲岗",)),
    UnitDef("xianwei-tongzhanbu", "县委统战部", "xianwei",
            "联系党外人士，组织党外干部参加帮扶活动。", "县委统战部党支部"),
    UnitDef("xianwei-zhengfawei", "县委政法委", "xianwei",
            "统筹政法系统党建工作，推动矛盾纠纷排查化解。", "县委政法委党支部", ("矛盾纠纷调处岗",)),
    UnitDef("xianwei-zhishu-zhibu", "县委直属机关党支部", "xianwei",
            "由县委直属部门党员组成，联系珉谷镇坡脚村等帮扶点。", "县委直属机关党支部"),
    UnitDef("xianzhi-gongwei", "贞丰县直属机关工委", None,
            "县直机关党的工作委员会，负责指导、协调和检查县直各部门党组织建设工作。", "县直机关工委"),
    UnitDef("xianzhengfu-ban", "县政府办公室", "xianzhi-gongwei",
            "在学习实践活动中牵头推进县城生态广场建设。", "县政府办公室党支部", ("政务服务中心协调岗",)),
    UnitDef("caizhengju", "县财政局", "xianzhi-gongwei",
            "县直机关党建示范点，党支部创建“党员示范岗”成为县直机关学习标杆。", "县财政局党支部",
            ("预算编制岗", "会计核算岗", "财政惠农补贴兑付窗口")),
    UnitDef("caizhengju-guoku-zhongxin", "县财政局国库集中支付中心", "caizhengju",
            "承担县直预算单位国库集中支付业务。", "县财政局党支部", ("国库集中支付窗口",)),
    UnitDef("gongshangju", "县工商局", "xianzhi-gongwei",
            "设立返乡农民工创业登记专门窗口，推行企业上门年检服务。", "县工商局党总支",
            ("企业年检上门服务", "消费者投诉举报岗")),
    UnitDef("gongshangju-chengguan-suo", "县工商局城关工商所", "gongshangju",
            "县工商局派出机构，承担城区个体工商户和企业注册登记业务。", "县工商局党总支",
            ("注册登记窗口", "返乡农民工创业登记专窗")),
    UnitDef("gongshangju-beipanjiang-suo", "县工商局北盘江工商所", "gongshangju",
            "服务北盘江镇个体工商户，开展上门登记服务。", "县工商局党总支", ("个体工商户登记窗口",)),
    UnitDef("gongshangju-longchang-suo", "县工商局龙场工商所", "gongshangju",
            "服务龙场镇个体工商户和农民专业合作社。", "县工商局党总支", ("农民专业合作社登记窗口",)),
    UnitDef("jishengju", "县计生局", "xianzhi-gongwei",
            "县人口和计划生育局，联系鲁容乡孔索村、秀村，帮扶计生困难家庭。", "县计生局党支部",
            ("计生困难家庭帮扶岗",)),
    UnitDef("jishengju-jishu-zhan", "县计划生育技术服务站", "jishengju",
            "组织技术人员深入乡镇服务站支援妇科检查。", "县计生局党支部", ("乡镇计生服务站妇检支援",)),
    UnitDef("renshe-ju", "县人力资源和社会保障局", "xianzhi-gongwei",
            "帮扶连环乡纳安村建设粽叶和四月李种植基地，服务返乡农民工创业就业。", "县人社局党支部",
            ("社保办理窗口", "劳动保障监察岗")),
    UnitDef("renshe-ju-jiuye-ju", "县就业局", "renshe-ju",
            "负责就业登记和返乡农民工创业培训。", "县人社局党支部", ("就业登记窗口", "创业培训服务岗")),
    UnitDef("renshe-ju-shebao-ju", "县社会保险事业局", "renshe-ju",
            "承办城乡居民养老保险参保登记和待遇发放。", "县人社局党支部", ("养老保险待遇发放窗口",)),
    UnitDef("dishuiju", "县地税局", "xianzhi-gongwei",
            "推行服务承诺制、限时办结制和首问责任制。", "县地税局机关党支部", ("税收政策咨询岗",)),
    UnitDef("dishuiju-banshui-ting", "县地税局办税服务厅", "dishuiju",
            "公开办税流程和办税指南，方便纳税人办事。", "县地税局机关党支部", ("办税服务厅综合服务窗口",)),
    UnitDef("guoshuiju", "县国税局", "xianzhi-gongwei",
            "负责全县国税征管工作，公开办税指南，方便纳税人办事。", "县国税局党支部"),
    UnitDef("guoshuiju-banshui-ting", "县国税局办税服务厅", "guoshuiju",
            "设立导税台和党员示范窗口。", "县国税局党支部", ("导税服务台", "发票发售窗口")),
    UnitDef("minzhengju", "县民政局", "xianzhi-gongwei",
            "负责社会救助、救灾等民生工作，设立为民服务窗口。", "县民政局党支部",
            ("救灾救助窗口", "婚姻登记窗口")),
    UnitDef("minzhengju-jiuzhu-zhan", "县救助管理站", "minzhengju",
            "负责流浪乞讨人员救助和临时救助。", "县民政局党支部", ("临时救助接待岗",)),
    UnitDef("zhujianju", "县住建局", "xianzhi-gongwei",
            "县住房和城乡建设局，结合南环路建设同步推进道路绿化亮化工程。", "县住建局党支部",
            ("建设项目审批窗口", "农村危房改造核查岗")),
    UnitDef("weishengju", "县卫生局", "xianzhi-gongwei",
            "卫生系统副科级干部与纳翁村贫困户结对帮扶。", "县卫生局党支部", ("新农合报销窗口",)),
    UnitDef("weishengju-jikong-zhongxin", "县疾病预防控制中心", "weishengju",
            "负责全县疾病预防控制和预防接种。", "县卫生局党支部", ("预防接种门诊",)),
    UnitDef("fayuan", "县法院", "xianzhi-gongwei",
            "挤出办公经费支持联系村党支部开展党建活动。", "县法院机关党支部", ("立案信访窗口", "巡回审判岗")),
    UnitDef("jianchayuan", "县检察院", "xianzhi-gongwei",
            "开展法律进乡村活动，接待群众来信来访。", "县检察院机关党支部", ("控告申诉接待室",)),
    UnitDef("shuiliju", "县水利局", "xianzhi-gongwei",
            "负责全县水利建设，在抗旱救灾中指导群众找水、建设人畜饮水工程。", "县水利局党支部",
            ("水利工程质量监督岗",)),
    UnitDef("shuiliju-shuibao-zhan", "县水土保持站", "shuiliju",
            "承担坡改梯和小流域治理项目。", "县水利局党支部", ("小流域治理技术指导岗",)),
    UnitDef("shangwu-keji-ju", "县商务和科技局", "xianzhi-gongwei",
            "争取资金帮助龙场镇龙山村建设水窖，开展粽叶种植技术培训。", "县商务和科技局党支部",
            ("科技特派员服务岗",)),
    UnitDef("nongyeju", "县农业局", "xianzhi-gongwei",
            "指导甘蔗、辣椒、金银花等特色种植。", "县农业局党支部", ("农资质量投诉岗",)),
    UnitDef("nongyeju-nongji-zhan", "县农业技术推广站", "nongyeju",
            "开展农业实用技术培训，推广良种良法。", "县农业局党支部", ("农业技术推广岗",)),
    UnitDef("linyeju", "县林业局", "xianzhi-gongwei",
            "组织群众种植李子苗、金银花，推进退耕还林。", "县林业局党支部", ("林权登记窗口",)),
    UnitDef("jiaotongju", "县交通运输局", "xianzhi-gongwei",
            "协调通村公路建设，帮助银洞湾村修建公路。", "县交通运输局党支部", ("农村公路养护岗",)),
    UnitDef("jiaoyuju", "县教育局", "xianzhi-gongwei",
            "推进农村校舍改造，组织党员教师送教下乡。", "县教育局机关党支部", ("学生资助服务窗口",)),
    UnitDef("fagaiju", "县发展和改革局", "xianzhi-gongwei",
            "负责项目申报和争取，帮助联系村谋划发展项目。", "县发改局党支部", ("项目申报服务岗",)),
)
UNIT_BY_ID = {unit.id: unit for unit in UNITS}

ACTIVITIES: tuple[tuple[str, str, str], ...] = (
    ("chuangxian-zhengyou", "创先争优",
     "以“组织创先进、党员争优秀、群众得实惠”为目标，开展创“五好”、争“五带头”活动。"),
    ("sibang-sicu", "四帮四促", "县直机关干部下基层，确保全县156个行政村每村至少有一名县直机关干部驻村。"),
    ("sanhui-yike", "三会一课", "坚持支部党员大会、支部委员会、党小组会和按时上好党课制度。"),
    ("jiceng-zuzhi-jianshe-nian", "基层组织建设年",
     "落实支部书记抓党建“第一责任人”职责，选树15个示范党支部（总支）。"),
    ("xuexixing-dangzuzhi", "学习型党组织",
     "健全学习制度，组织党员领导干部参加“当代贵州讲坛·对话贞丰”培训班。"),
    ("weimin-fuwu", "为民服务", "开设为民服务窗口，公开办事流程，开展上门服务。"),
    ("sanlian-sanbang", "三联三帮", "部门联系村、机关支部联系村支部、科级干部联系贫困户的结对帮扶活动。"),
    ("wuxing-jiguan", "五型机关", "创建学习型、创新型、服务型、责任型、和谐型机关。"),
    ("kanghan-jiuzai", "抗旱救灾", "组织党员突击队深入受灾村组找水源、建设人畜饮水工程。"),
    ("dangyuan-shifangang", "党员示范岗创建", "以县财政局党支部为标杆，在窗口和业务岗位设立党员示范岗。"),
    ("xuexi-shijian", "学习实践科学发展观", "结合学习实践活动整改落实项目，办好惠及民生的实事。"),
    ("jiedui-bangfu", "结对帮扶", "科级干部每人与1至2户贫困户结对，帮助解决生产生活中的实际困难。"),
)

# (township, village); an empty township means the report does not name it.
VILLAGES: tuple[tuple[str, str], ...] = (
    ("北盘江镇", "银洞湾村"), ("北盘江镇", "岔河沿村"), ("连环乡", "纳安村"), ("连环乡", "纳川村"),
    ("鲁容乡", "孔索村"), ("鲁容乡", "秀村"), ("鲁容乡", "江于村"), ("鲁容乡", "纳腊村"),
    ("龙场镇", "龙山村"), ("龙场镇", "六村"), ("长田乡", "龙塔村"), ("珉谷镇", "格桥村"),
    ("珉谷镇", "坡脚村"), ("者相镇", "东美村"), ("", "纳翁村"),
)
GROUPS = ("河坝组", "长坡组", "新寨组", "大寨组", "坝子组", "上寨组", "三组", "五组")
INDUSTRIES = ("粽叶", "四月李", "甘蔗", "金银花", "辣椒", "枇杷", "猕猴桃", "生姜", "青蒿", "花生")
# Rows of the assistance table: item and the measure its size is given in.
TABLE_ITEMS: tuple[tuple[str, str], ...] = (
    ("粽叶种植基地", "亩"), ("四月李种植基地", "亩"), ("党员致富基地示范区", "亩"), ("通村公路", "公里"),
    ("人畜饮水工程", "处"), ("蓄水池", "户"), ("小水窖", "口"), ("村党员活动室", "个"), ("校舍改造", "所"),
    ("仔猪养殖", "头"), ("甘蔗种植", "亩"), ("金银花种植", "万株"), ("辣椒育苗", "亩"), ("种苗、化肥补贴", "元"),
    ("种植管理技术培训", "人次"),
)
# Activities that suit each kind; most stories take theirs from here.
KIND_ACTIVITIES: dict[str, tuple[str, ...]] = {
    "branch": ("jiceng-zuzhi-jianshe-nian", "sanhui-yike", "xuexixing-dangzuzhi", "wuxing-jiguan",
               "chuangxian-zhengyou", "xuexi-shijian", "sanlian-sanbang", "sibang-sicu"),
    "post": ("dangyuan-shifangang", "weimin-fuwu", "wuxing-jiguan", "chuangxian-zhengyou", "xuexi-shijian"),
    "case": ("sanlian-sanbang", "sibang-sicu", "jiedui-bangfu", "kanghan-jiuzai", "chuangxian-zhengyou",
             "xuexi-shijian"),
}
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "韦", "罗", "岑", "班", "龙", "潘", "蒙")
SOURCES = ("贞丰县直机关党建简报", "贞丰县委组织部《组工信息》", "县直机关工委工作动态", "黔西南州机关党建")
POSITIONS = ("便民服务窗口", "政策咨询台", "群众来访接待岗", "档案查询窗口", "业务审批岗")
HONOURS = ("贴心人", "领头雁", "老黄牛", "好管家", "服务标兵")
QUOTES = (
    "干部真心实意帮我们，我们心里踏实。",
    "以前办事要跑好几趟，现在一次就办好了。",
    "党员干部和我们一起干，再难的事也不怕。",
    "有了这条路，我们的{industry}就好卖了。",
    "水池修好以后，旱季再也不用到几里外挑水。",
    "示范岗这块牌子挂在窗口，也挂在心上。",
    "群众看着我们，我们就得比别人做得更好一点。",
    "帮扶不是送完东西就走，要帮到点子上。",
)

# --------------------------------------------------------------------------- phrase tables

Tagged = tuple[tuple[str, str | None], ...]
INTROS: dict[str, Tagged] = {
    "branch": (
        ("{activity}活动开展以来，{org}坚持服务中心、建设队伍的思路，把机关党建工作与{unit}的业务工作紧密结合起来，"
         "努力改变机关党建“融入业务多、特色不明显”的状况。", None),
        ("{unit}现有党员{members}名，{org}下设{cells}个党小组。近年来，{org}在县直机关工委的指导下，"
         "以{activity}为载体，不断加强思想建设、组织建设和作风建设，取得了较好成效。", None),
        ("基层组织建设年活动中，县直机关工委选取15个工作基础好、班子战斗力强、运行规范有序的党支部（总支）"
         "作为机关党建工作示范点，{org}位列其中。", None),
        ("自{since}年全县开展“三联三帮”活动以来，{org}把联系{place}党支部作为机关党建的重要内容，"
         "坚持机关支部联系村支部，帮助村里抓班子、理思路、办实事。", "contact_village"),
    ),
    "post": (
        ("{position}是{unit}直接面向群众的岗位，每天要接待大量办事群众。在{activity}活动中，{org}把这个岗位确定为"
         "党员示范岗，由{holder}牵头，实行挂牌上岗、亮明身份、公开承诺。", None),
        ("为方便群众办事，{unit}把{position}设为党员示范岗，{members}名党员轮流上岗。示范岗把办事流程、"
         "所需资料和办结时限公开张贴，让群众来之前就知道要带什么、找哪个窗口。", None),
        ("{holder}在{position}工作多年，熟悉各项政策和业务流程。{org}以县财政局党支部“党员示范岗”为标杆，"
         "在{unit}的窗口和业务岗位推广示范岗做法。", None),
    ),
    "case": (
        ("{place}是{unit}的帮扶联系村。{org}深入调研后认为，当地适宜发展{industry}种植，"
         "但群众缺少资金和技术，发展特色产业需要有人带一把。", "industry"),
        ("按照“三联三帮”活动中部门联系村、机关支部联系村支部、科级干部联系贫困户的要求，"
         "{unit}与{place}结成帮扶对子，把帮助群众解决最关心、最直接的问题作为帮扶工作的头等大事。", None),
        ("{since}年以来，{unit}先后{times}次组织党员干部到{place}走访，了解到{group}等村民组在饮水、"
         "道路和产业发展方面困难较多。{org}随即召开会议专题研究帮扶措施。", None),
        ("{year}年春季旱情严重，{place}不少村民组水源枯竭，群众饮水告急。{unit}把创先争优活动与抗旱救灾中心工作"
         "紧密结合，组织党员深入一线帮助群众渡过难关。", "drought"),
    ),
}

# Each topic: headings that may introduce it and sentences that may fill it.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "responsibility": (
        ("书记抓党建，责任落到人", "落实“第一责任人”职责", "层层签订党建工作责任书", "健全党建工作责任制"),
        (
            "{org}书记作为抓党建工作的“第一责任人”，每季度向县直机关工委报告一次党建工作情况。",
            "{org}将全年党建任务分解到各支委和党小组，与业务工作同部署、同检查、同考核。",
            "按照“一岗双责”的要求，行政领导班子成员同时担任支部委员，明确党内职责分工。",
            "{org}把党建工作纳入{unit}目标管理考核，作为评先选优和干部使用的重要依据。",
            "党建工作责任书层层签订，做到一级抓一级、层层抓落实，改变了过去“重业务、轻党务”的倾向。",
            "{org}建立了党建工作联系会议制度，定期听取党建工作汇报，交流机关党建工作经验。",
            "{since}年以来，{org}书记在县直机关党组织书记抓基层党建工作述职会上先后{times}次作交流发言。",
            "对党建工作落实不到位的党小组，{org}及时约谈提醒，限期整改。",
        ),
    ),
    "sanhui": (
        ("“三会一课”不走过场", "组织生活规范有序", "“三会一课”有安排", "严格党内组织生活"),
        (
            "{org}年初制定“三会一课”计划，对全年学习活动作出细致安排，并根据不同时期的工作要求及时充实学习内容。",
            "党员大会、支委会和党小组会均有记录、有签到，缺席的党员须在一周内补学并提交学习心得。",
            "每季度由支部书记或班子成员讲一次党课，{year}年共讲党课{lessons}次。",
            "{org}按时召开党员大会、支委会和党小组会，改变了过去支部活动“有制度、难落实”的问题。",
            "{org}坚持党员民主评议制度，每年开展一次党性分析，评议结果在支部公示栏公开。",
            "党员按月足额交纳党费，{org}每季度公布一次党费收缴情况。",
            "结合七一建党纪念日，{org}组织党员重温入党誓词，开展“我为党旗添光彩”主题党日活动。",
            "离退休党员和流动党员也被纳入组织生活，{org}定期送学上门、电话联系。",
        ),
    ),
    "learning": (
        ("健全学习制度", "学习有计划", "以学促干", "参加“对话贞丰”讲堂"),
        (
            "{org}建立了集中学习、个人自学、学习考勤和补学等制度，党员干部每人建立学习笔记，每季度交一篇学习心得。",
            "{org}组织党员领导干部按时参加县里每月举办的“当代贵州讲坛·对话贞丰”培训班，听取省内外专家讲座。",
            "每次讲座后，{org}安排一名党员在学习会上作交流发言，把讲座内容与{unit}的工作实际结合起来讨论。",
            "针对业务量大、任务重的实际，{org}提倡以自学为主，同时坚持“规定动作”不走样：缺课必补，补学情况在支部公示栏公开。",
            "{org}采取专家讲座、专题研讨、参观考察、以考促学和电化教育等形式，不断创新学习方式。",
            "对党员领导干部，重点加强科学发展观和正确政绩观、群众观教育；对普通党员，重点加强理想信念和业务技能培训。",
            "{year}年，{org}共组织集中学习{lessons}次，党员参学率保持在九成以上。",
            "{org}还开展演讲比赛、参观爱国主义教育基地、观看文艺演出等活动，做到有形、有趣、党员乐于参与。",
        ),
    ),
    "wuxing": (
        ("创建“五型机关”", "创建与业务相结合", "打造服务型机关"),
        (
            "{org}深入开展创建学习型、创新型、服务型、责任型、和谐型“五型机关”活动，把创建活动与业务工作紧密挂钩。",
            "在服务型机关创建中，{unit}公开办事流程和办事指南，简化手续，方便群众办事。",
            "在创新型机关创建中，{org}鼓励党员围绕业务难点提出改进办法，{year}年共收集合理化建议{suggestions}条。",
            "在责任型机关创建中，{org}推行服务承诺制、限时办结制和首问责任制，做到事事有人管、件件有着落。",
            "在和谐型机关创建中，{org}关心干部职工生活，帮助解决实际困难，机关内部团结和谐。",
            "通过创建活动，机关党建工作有了抓手，业务工作有了动力，党组织的凝聚力和战斗力进一步增强。",
        ),
    ),
    "integrity": (
        ("廉政建设常抓不懈", "加强作风建设", "转变机关作风"),
        (
            "{org}加强党员干部廉洁从政教育，努力打造一支“廉洁、勤政、务实、高效”的干部队伍。",
            "{org}组织党员干部观看警示教育片，签订廉政承诺书，在节假日前重申廉洁纪律。",
            "{unit}把廉政风险防控嵌入业务流程，对重点岗位定期开展廉政谈话。",
            "{org}提倡“讲政治、守纪律，爱岗敬业、求真务实，谦虚好学、热情服务”的作风，机关风气明显好转。",
            "{org}设立意见箱，公开监督电话，主动接受群众对机关作风的监督。",
        ),
    ),
    "contact_village": (
        ("帮村支部理清发展思路", "机关支部联系村支部", "驻村干部进班子", "挤出经费保障村支部活动"),
        (
            "{org}协助{village}党支部起草了发展规划，明确以{industry}、{industry2}种植和生猪养殖为主的发展方向。",
            "按照县委的统一安排，{unit}选派党员干部驻村，任{village}党支部副书记，协助村支部落实“三会一课”制度。",
            "驻村干部统一使用县里印制的民情日记、工作清单和台账，县委督查室和县直机关工委不定期到村督查。",
            "{org}从办公经费中挤出{funds}，作为{village}党支部开展党建工作的活动经费。",
            "{org}帮助{village}党支部完善议事规则和党务公开制度，推动村级组织规范化建设。",
            "{org}为{village}党员活动室配置了桌椅和电脑，订阅了党报党刊，村支部的组织生活有了基本保障。",
            "{org}先后{times}次组织党员到{village}走访，召开村支两委、党员和群众代表座谈会，逐户了解种养殖情况。",
            "全县156个行政村，每村至少有一名县直机关干部驻村，{unit}联系的{village}也不例外。",
        ),
    ),
    "window": (
        ("亮身份、作承诺", "流程公开，办事明白", "首问负责，限时办结", "示范岗建在业务一线"),
        (
            "示范岗实行挂牌上岗，窗口摆放党员示范岗标牌和党员照片，公开服务承诺。",
            "资料齐全的当场办结，资料不全的一次性告知，政策问题首问负责、一次讲清。",
            "{unit}把各类事项的办理流程、所需资料和办结时限制成办事指南，在大厅公开张贴，并印成小册子免费发放。",
            "示范岗严格执行服务承诺制、限时办结制和首问责任制，不推诿、不扯皮。",
            "能够即时办理的事项当场办结，需要审核的事项在承诺时限内办结。",
            "{year}年，{position}共办理业务{cases_done}件，当场办结率达到{rate}%。",
            "遇到年纪大、不识字的群众，{holder}就逐项帮助填写表格，直到群众弄明白为止。",
            "每到业务高峰期，示范岗党员主动错时就餐、轮流值守，保证窗口不断人。",
        ),
    ),
    "doorstep": (
        ("把服务送上门", "多跑一步，少跑一趟", "企业不方便来，我们就上门去"),
        (
            "对重点企业，服务组带齐资料和设备到企业现场办理，手续齐全的当场办结。",
            "对分支机构较多的企业，采取电话预约的方式办理，报告书和通知书通过邮寄送达。",
            "2009年以来，县工商局上门年检服务组共为12家企业提供上门年检服务，预约年检15家，走访企业53家。",
            "对乡镇和偏远单位的办事人员，服务组提前通过电话核对材料，减少往返次数。",
            "{holder}说：“上门多跑的是我们的路，省下的是群众的时间。”",
            "在走访中，党员还向群众和企业宣传有关扶持政策，收集意见建议带回{unit}研究办理。",
            "{position}的党员利用周末下乡，把政策和服务送到{place}群众家门口。",
        ),
    ),
    "training": (
        ("帮基层提素质", "带着技术下基层", "办培训、传技术"),
        (
            "{unit}邀请省、州业务部门的专家来县讲解业务，并为基层工作人员开展办公软件培训。",
            "培训后，退回重报的申请明显减少，基层工作人员办事更加顺手。",
            "示范岗党员利用空余时间为乡镇工作人员讲课、带教，提高基层的业务水平。",
            "{year}年，{unit}共举办各类培训{lessons}期，培训{trainees}人次。",
            "针对返乡农民工创业需求，{unit}组织开展创业培训，帮助他们在家门口创业就业。",
        ),
    ),
    "returnees": (
        ("免费登记扶创业", "服务返乡农民工", "推行“三个一律”"),
        (
            "为方便返乡农民工尽快创业，县工商局在各工商所登记大厅开设返乡农民工创业登记专门窗口。",
            "材料齐全、符合法定形式的，一律当场办结；可以补正的，一律允许补正、及时修改。",
            "材料不齐全、不符合法定形式的，一律及时沟通、一次性告知。",
            "2009年以来，全县工商系统共为下岗失业人员免费登记个体工商户236户、私营企业2户。",
            "这些个体工商户吸纳就业95人，私营企业吸纳下岗失业人员213人。",
            "个体户{person}在外务工多年，回乡开了一家农机修理店，从填表到拿执照，窗口的同志一步一步教。",
        ),
    ),
    "investigate": (
        ("进村入户摸实情", "急群众之所急", "帮群众解疑释惑"),
        (
            "{org}组织党员干部分批进村，召开群众会，逐一解答村民提出的问题。",
            "对一时回答不了的问题，党员干部记下来带回{unit}，请有关部门研究后再给群众答复。",
            "帮扶干部挨家挨户登记{group}的人口、土地和收入情况，建立了帮扶台账。",
            "经过摸底，{place}有{households}户群众生产生活困难较多，需要重点帮扶。",
            "{unit}领导带领干部进村查看，与村支两委一起研究帮扶措施。",
            "在充分听取群众意见的基础上，{org}与村支两委反复商量，确定了帮扶项目。",
        ),
    ),
    "industry": (
        ("发展特色产业", "建设{industry}基地", "党员带头种、示范种"),
        (
            "在{org}的协助下，{village}支两委统一规划地块、统一调运种苗，组织党员带头种植{industry}{mu}亩。",
            "{unit}协调种苗，联系技术人员到村指导栽种，党员干部分片包户，帮助群众解决种植中遇到的实际困难。",
            "{industry}管理简单、市场稳定，不少留守老人和妇女也能种、能管。",
            "县人社局帮助纳安村建设500亩粽叶种植基地和200亩四月李种植基地，在纳川村建设500亩党员致富基地示范区。",
            "{unit}请农技人员到{group}开展{industry}种植管理技术培训{trainees}人次，并给予种苗和化肥补贴。",
            "县工商局协助江于村、纳腊村支两委完成了2000亩甘蔗种植任务。",
            "{org}组织群众种植李子苗6万余株、金银花11万株，培育辣椒苗200余亩。",
            "由村里的党员带头种、示范种，带动群众跟着种，{village}的{industry}种植面积逐年扩大。",
        ),
    ),
    "infrastructure": (
        ("修路引水强基础", "争取项目强基础", "建水窖解决饮水难", "修通村公路"),
        (
            "{unit}积极争取资金，帮助{group}{households}户群众修建蓄水池，又帮助邻近村民组修建了{cellars}口小水窖。",
            "县委联系北盘江镇银洞湾村、岔河沿村，用好财政“一事一议”项目，协调交通部门，组织群众投工投劳修建公路。",
            "施工期间，{unit}党员干部轮流到村，和群众一起选址、备料、挖坑、砌池，确保雨季前建成蓄水。",
            "项目实施过程中，{org}安排干部跟踪进度，村党支部组织党员带头投工投劳，确保工程质量。",
            "{unit}为{place}争取到沟渠和人畜饮水基础设施建设项目，资金{funds}。",
            "通村公路修通后，{village}的{industry}运得出、卖得好，群众出行也方便了。",
            "如今，{group}的群众在雨季就能把雨水蓄起来，旱季不再为吃水发愁。",
        ),
    ),
    "pairing": (
        ("干部结对帮困难户", "一户一策真帮实扶", "常来常往结亲戚"),
        (
            "{unit}科级干部每人与1至2户贫困户结对，发挥信息、技术和协调方面的优势，帮助解决实际困难。",
            "{unit}为{households}户困难户每户安排了价值700元的生产资料，为其中一部分农户送去化肥{tons}吨。",
            "干部们为结对贫困户购买仔猪{piglets}头，并请畜牧技术人员到村讲解防疫和饲养知识。",
            "卫生系统17名副科级干部与纳翁村17户贫困户一对一结对，每人出资300元为结对户购买一头仔猪。",
            "帮扶干部把结对贫困户当亲戚走，农忙时帮助联系农资，节日里上门看望，平时电话问候。",
            "缺劳力的帮助联系邻里互助，缺技术的请乡镇农技人员上门指导，不搞“一送了之”。",
            "开春前，帮扶干部又想方设法为结对户提供花生等良种，帮助他们调整种植结构。",
        ),
    ),
    "drought": (
        ("抗旱找水，党员冲在前面", "找水源建工程", "旱情面前不打烊"),
        (
            "旱情发生后，{org}组织党员组成抗旱突击队，深入{place}帮助群众找水源、建设人畜饮水工程。",
            "突击队请水利部门的技术人员一同进村，在老党员和熟悉地形的村民带领下，沿山沟寻找可利用的水源。",
            "找到水源后，突击队和群众一起清理水源点、铺设引水管、修建蓄水池。",
            "在抗旱一线，党员白天和群众一起挖沟、搬运水管，晚上在村委会研究第二天的工作，有的同志连续{days}天没有回家。",
            "县委直属机关党支部深入珉谷镇坡脚村，帮助群众找水源、指导打井、修建井台。",
            "在解决眼前饮水困难的同时，突击队帮助村里谋划长远的饮水工程，把需要新建和维修的水池、水窖列出清单。",
        ),
    ),
    "effect": (
        ("群众的声音", "干群关系更紧密", "取得的成效"),
        (
            "{place}一位老党员说：“{quote}”",
            "受助群众切身感受到了党和政府的关心和温暖，党群干群关系进一步密切。",
            "{year}年，{unit}收到群众送来的锦旗{flags}面，群众满意度明显提高。",
            "一年来，{unit}未发生一起群众有效投诉。",
            "在示范带动下，其他窗口也纷纷亮出身份、公开承诺，形成了比服务、比效率的氛围。",
            "县直机关工委已组织其他单位党组织到{unit}学习交流，以点带面推动机关党建工作整体提升。",
        ),
    ),
    "lessons_case": (
        ("几点体会", "帮扶体会", "下一步打算"),
        (
            "一是帮扶要从群众最关心的问题入手，先解答疑问，再推动发展；二是要依靠村党支部，帮助支部成为群众发展产业的"
            "“主心骨”；三是产业帮扶和组织建设要同步推进，既帮钱袋子，也帮强班子。",
            "一是产业选择要尊重群众意愿，不搞“一刀切”；二是要发挥党员的示范带动作用，让群众看得见、学得会；"
            "三是要发挥部门职能优势，把帮扶工作与部门业务结合起来。",
            "{org}表示，将把结对帮扶作为一项长期工作，帮一户、成一户。",
            "下一步，{org}将继续按照“四帮四促”的要求，巩固联系点工作成效，做到不脱贫、不脱钩。",
        ),
    ),
    "lessons_branch": (
        ("几点体会", "经验与启示", "下一步打算"),
        (
            "一是抓党建必须找准与中心工作的结合点，以党建促业务；二是要尊重党员的主体地位，让每一名党员都成为党建工作的"
            "责任人；三是制度要有硬约束，考核结果要与评先选优真正挂钩。",
            "一是机关支部联系村支部，关键是帮思路、帮制度，而不只是送钱送物；二是要发挥部门自身优势，把业务工作和帮扶工作"
            "结合起来；三是帮扶要有台账、有回访。",
            "下一步，{org}将以{activity}为抓手，巩固示范点创建成果，推动机关党建工作整体提升。",
            "{org}将继续与联系村党支部开展结对共建，把“四帮四促”活动不断引向深入。",
        ),
    ),
    "lessons_post": (
        ("示范带动", "下一步打算", "党员示范带头"),
        (
            "示范岗党员说：“{quote}”",
            "在示范岗的带动下，{unit}其他岗位也纷纷亮出身份、公开承诺，形成了比服务、比效率的氛围。",
            "下一步，{org}将以党员示范岗为抓手，进一步改进作风、提高效率，努力为群众提供更加优质便捷的服务。",
        ),
    ),
}
KIND_TOPICS: dict[str, tuple[str, ...]] = {
    "branch": ("responsibility", "sanhui", "learning", "wuxing", "integrity", "contact_village", "effect",
               "lessons_branch"),
    "post": ("window", "doorstep", "training", "returnees", "effect", "lessons_post"),
    "case": ("investigate", "industry", "infrastructure", "pairing", "drought", "contact_village", "effect",
             "lessons_case"),
}
GENERIC: tuple[str, ...] = (
    "在{activity}活动中，{unit}党员干部动真情、出实招，真正做到了干部作风有转变、人民群众得实惠。",
    "{org}坚持“规定动作不走样、自选动作有创新”，把{activity}与本单位实际紧密结合。",
    "通过活动，党员干部受教育、科学发展上水平、人民群众得实惠的目标进一步落到实处。",
    "党员干部的宗旨意识和服务意识明显增强，党组织的凝聚力和战斗力进一步提升。",
    "{org}还把{activity2}与{activity}结合起来，统筹安排、一体推进。",
    "县直各部门党组织普遍公开了工作流程和办事指南，极大地方便了群众办事。",
    "{unit}的做法得到了县直机关工委的肯定，并在县直机关推广。",
    "党员干部纷纷表示，要把党员身份亮出来，把服务质量提上去。",
    "{org}把{activity}的各项任务列出清单，明确责任人和完成时限，做到事事有人抓。",
    "截至目前，县直机关共有党员1701名，机关党组织的覆盖面不断扩大。",
    "{unit}把党建工作放在心上、抓在手上，形成了党组统一领导、机关党组织直接抓、支部具体抓的工作格局。",
    "{org}定期组织党员过好组织生活，{year}年共开展主题党日活动{lessons}次。",
)
CLOSERS: tuple[str, ...] = (
    "{unit}的其他做法，可参阅{links}。",
    "相关情况另见{links}。",
    "同一时期的其他经验，见{links}。",
    "这方面的做法可以对照参阅{links}。",
)
# Titles, summaries and intros name the topic the story leads with (None: any topic).
TITLES: dict[str, Tagged] = {
    "branch": (
        ("{org}：以“党员示范岗”带动示范党支部建设", "responsibility"),
        ("{org}扎实开展{activity}活动", None),
        ("{org}创建“五型机关” 推动党建与业务互融互促", "wuxing"),
        ("{org}“三会一课”常态化 组织生活规范有序", "sanhui"),
        ("{org}建设学习型党组织 以学促干服务群众", "learning"),
        ("{org}：机关支部联系村支部 帮助{village}理清发展思路", "contact_village"),
        ("{org}落实“第一责任人”职责 推动{activity}见实效", "responsibility"),
        ("{org}挤出办公经费支持{village}党支部活动", "contact_village"),
        ("{org}加强作风建设 打造“廉洁、勤政、务实、高效”队伍", "integrity"),
    ),
    "post": (
        ("{unit}{position}党员示范岗", "window"),
        ("{unit}{position}党员示范岗：亮身份、作承诺", "window"),
        ("{holder_short}：{position}上的“{honour}”", None),
        ("{unit}{position}：多跑一步，让群众少跑一趟", "doorstep"),
        ("{unit}党员示范岗：{position}群众办事不再难", "window"),
        ("{unit}{position}党员示范岗办培训、传技术", "training"),
        ("{unit}{position}党员示范岗服务返乡农民工创业", "returnees"),
    ),
    "case": (
        ("{unit}帮扶{place}建设{industry}基地", "industry"),
        ("{unit}干部结对帮扶{village}{households}户贫困户", "pairing"),
        ("{unit}争取资金帮助{place}修建{infra}", "infrastructure"),
        ("{unit}党员突击队深入{village}抗旱找水", "drought"),
        ("{unit}帮助{village}{group}发展{industry}种植", "industry"),
        ("{unit}协助{village}党支部完成{mu}亩{industry}种植", "industry"),
        ("{unit}联系{village}党支部 帮村里抓班子、理思路", "contact_village"),
        ("{unit}深入{place}走访 为群众解难题", "investigate"),
    ),
}
SUMMARIES: dict[str, Tagged] = {
    "branch": (
        ("{org}把党建工作与业务工作同部署、同检查、同考核，组织生活规范有序。", None),
        ("{org}以{activity}为载体，健全学习制度，党员干部的服务意识明显增强。", "learning"),
        ("{org}被确定为县直机关党建示范点之一，其做法在县直机关推广。", None),
        ("{org}选派党员干部驻村，帮助{village}党支部理清发展思路。", "contact_village"),
        ("{org}年初制定“三会一课”计划，{year}年共讲党课{lessons}次。", "sanhui"),
    ),
    "post": (
        ("{members}名党员挂牌上岗、公开承诺，资料齐全的业务当场办结。", None),
        ("{position}推行首问负责和限时办结，群众办事少跑路、少等候。", None),
        ("{holder_short}坚持错时上班、上门服务，{year}年办理业务{cases_done}件。", None),
    ),
    "case": (
        ("为{place}{households}户群众修建{infra}，投入资金{funds}。", "infrastructure"),
        ("{unit}协调种苗和技术，帮助{village}发展{industry}种植{mu}亩。", "industry"),
        ("科级干部与{households}户贫困户结对，送仔猪、送良种，帮助群众增收。", "pairing"),
        ("党员突击队深入{place}找水源、建工程，帮助群众渡过旱情。", "drought"),
        ("{unit}与{place}结成帮扶对子，帮助群众解决最关心、最直接的问题。", None),
    ),
}
INFRA = ("人畜饮水工程", "蓄水池", "小水窖", "通村公路", "村党员活动室")

_LATEST_YEAR = {
    text: max(int(year) for year in re.findall(r"(20\d\d)年", text))
    for _, texts in TOPICS.values()
    for text in texts
    if re.search(r"20\d\d年", text)
}
"""Sentences that state facts of a given year, by the latest year they cite."""

TABLE_LEADS = {
    "branch": "{org}示范岗设置情况如下：",
    "post": "近年来示范岗办理业务情况如下：",
    "case": "帮扶项目一览如下：",
}

# --------------------------------------------------------------------------- helpers

_PLAIN_YAML = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*$")


def _yaml_text(value: str) -> str:
    """Write a string as a plain YAML scalar when that is safe, else double-quoted."""
    if _PLAIN_YAML.match(value) and value.strip() == value and value.lower() not in ("yes", "no", "true", "false"):
        return value
    return json.dumps(value, ensure_ascii=False)


def _fill(template: str, ctx: dict[str, str]) -> str:
    return template.format_map(ctx)


def _pick(choices: Tagged, topic: str, rng: Random) -> str:
    """Choose a template written for ``topic`` or for any topic."""
    fitting = [template for template, tag in choices if tag is None or tag == topic]
    return rng.choice(fitting)


@dataclass
class _Story:
    """One planned story: where it goes, what it says about itself."""

    kind: str
    folder: str
    name: str
    unit: UnitDef
    date: dt.date
    activities: tuple[tuple[str, str, str], ...]
    ctx: dict[str, str]
    title: str
    lead: str
    """The topic its title announces; the body opens with it."""

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.name}"


_FOLDERS = {"branch": "branches", "post": "posts", "case": "cases"}


def _split(n: int) -> dict[str, int]:
    """Split n stories about 40% branches, 30% posts, 30% cases."""
    branches = round(n * 0.4)
    posts = round(n * 0.3)
    return {"branch": branches, "post": posts, "case": n - branches - posts}


def _context(rng: Random, unit: UnitDef, date: dt.date, activities: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """Pick the facts one story is written around; its first two activities are named in the text."""
    township, village = rng.choice(VILLAGES)
    industry, industry2 = rng.sample(INDUSTRIES, 2)
    activity, activity2 = activities[0], activities[1]
    surname = rng.choice(SURNAMES)
    person = f"{surname}某某"
    position = rng.choice(unit.positions or POSITIONS)
    holder = f"{person}同志" if rng.random() < 0.6 else f"{position}党员服务组（组长 {person}）"
    funds_yuan = rng.randrange(5, 1500) * 1000
    funds = f"{funds_yuan / 10000:g}万元" if funds_yuan >= 10000 else f"{funds_yuan}元"
    org = unit.org
    ctx = {
        "unit": unit.name, "org": org, "township": township, "village": village, "place": township + village,
        "group": rng.choice(GROUPS), "industry": industry, "industry2": industry2,
        "activity": activity[1], "activity2": activity2[1], "person": person, "holder": holder,
        "holder_short": f"{person}同志", "position": position, "honour": rng.choice(HONOURS),
        "infra": rng.choice(INFRA), "year": str(date.year), "since": str(rng.randint(2008, date.year)),
        "members": str(rng.randint(3, 60)), "cells": str(rng.randint(2, 6)), "times": rng.choice("两三四五六七"),
        "households": str(rng.randint(1, 120)), "mu": str(rng.randrange(5, 250) * 10), "funds": funds,
        "funds_yuan": str(funds_yuan), "lessons": str(rng.randint(4, 26)), "trainees": str(rng.randint(30, 400)),
        "suggestions": str(rng.randint(5, 60)), "cases_done": f"{rng.randint(200, 3000):,}",
        "rate": str(rng.randint(85, 99)), "tons": str(rng.randint(1, 12)), "piglets": str(rng.randint(5, 40)),
        "cellars": str(rng.randint(5, 40)), "days": rng.choice(("十", "十多", "二十", "二十多")),
        "flags": str(rng.randint(1, 9)),
    }
    ctx["quote"] = rng.choice(QUOTES).format_map(ctx)
    return ctx


def _plan(n: int, rng: Random) -> list[_Story]:
    """Decide every story's file, unit, date and title before any body is written."""
    width = max(5, len(str(n)))
    first, last = FIRST_DATE.toordinal(), LAST_DATE.toordinal()
    # Bureaus and sub-units write most stories; the two top-level organs write few.
    weighted = [u for u in UNITS for _ in range(1 if u.parent is None else 3)]
    by_id = {activity[0]: activity for activity in ACTIVITIES}
    preferred = {kind: tuple(by_id[i] for i in ids) for kind, ids in KIND_ACTIVITIES.items()}
    stories: list[_Story] = []
    # Real sites rarely repeat a title, and dangjian warns of each repeat: templates alone would
    # repeat half the titles of 5,000 stories, so a repeat is told apart by its number.
    used: dict[str, int] = {}
    for kind, count in _split(n).items():
        for index in range(1, count + 1):
            unit = rng.choice(weighted)
            date = dt.date.fromordinal(rng.randint(first, last))
            picked = rng.sample(preferred[kind] if rng.random() < 0.8 else ACTIVITIES, 3)
            ctx = _context(rng, unit, date, picked)
            template, lead = rng.choice(TITLES[kind])
            title = _fill(template, ctx)
            used[title] = used.get(title, 0) + 1
            if used[title] > 1:
                title = f"{title}（之{used[title]}）"
            lead = lead or rng.choice(KIND_TOPICS[kind][:-2])
            name = f"{kind}-{index:0{width}d}.md"
            activities = tuple(picked[: rng.choice((1, 2, 2, 3, 3))])
            stories.append(_Story(kind, _FOLDERS[kind], name, unit, date, activities, ctx, title, lead))
    return stories


def _front_matter(story: _Story, rng: Random) -> str:
    """The YAML front matter of one story, in the field order of the example site."""
    ctx = story.ctx
    unit = story.unit.name if rng.random() < 0.2 else story.unit.id
    activities = [a[1] if rng.random() < 0.25 else a[0] for a in story.activities]
    lines = ["---", f"title: {_yaml_text(story.title)}", f"date: {story.date.isoformat()}", f"unit: {unit}"]
    if rng.random() < 0.15:
        lines.append(f"activities: {'、'.join(activities)}")
    else:
        lines.append(f"activities: [{', '.join(activities)}]")
    if rng.random() < 0.5:
        lines.append(f"summary: {_yaml_text(_fill(_pick(SUMMARIES[story.kind], story.lead, rng), ctx))}")
    if rng.random() < 0.8:
        lines.append(f"author: {_yaml_text(rng.choice((story.unit.org, story.unit.org, '县直机关工委宣传组')))}")
    if rng.random() < 0.6:
        lines.append(f"source: {_yaml_text(rng.choice(SOURCES))}")
    if story.kind == "post":
        lines.append(f"holder: {_yaml_text(ctx['holder'])}")
        lines.append(f"position: {_yaml_text(ctx['position'])}")
    elif story.kind == "case":
        lines.append(f"target: {_yaml_text(rng.choice((ctx['place'], ctx['place'] + ctx['group'])))}")
        if rng.random() < 0.7:
            lines.append(f"funds_yuan: {ctx['funds_yuan']}")
        if rng.random() < 0.7:
            lines.append(f"households: {ctx['households']}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _size(measure: str, rng: Random) -> str:
    """A plausible amount for one row of the assistance table."""
    if measure == "亩":
        return str(rng.randrange(5, 60) * 10)
    if measure == "公里":
        return f"{rng.randint(5, 120) / 10:g}"
    if measure == "元":
        return f"{rng.randrange(1, 300) * 1000:,}"
    if measure == "人次":
        return str(rng.randint(30, 300))
    if measure in ("处", "个", "所", "万株"):
        return str(rng.randint(1, 12))
    return str(rng.randint(3, 60))


def _table(story: _Story, rng: Random) -> list[str]:
    """A small Markdown table that fits the story's kind."""
    ctx = story.ctx
    if story.kind == "case":
        rows = ["| 帮扶项目 | 地点 | 规模 |", "| --- | --- | --- |"]
        for item, measure in rng.sample(TABLE_ITEMS, rng.randint(2, 5)):
            rows.append(f"| {item} | {ctx['village']}{rng.choice(GROUPS)} | {_size(measure, rng)}{measure} |")
        return rows
    if story.kind == "post":
        rows = ["| 年份 | 办理业务（件） | 当场办结率 |", "| --- | --- | --- |"]
        first = max(FIRST_DATE.year, story.date.year - rng.randint(1, 3))
        for year in range(first, story.date.year + 1):
            rows.append(f"| {year} | {rng.randint(200, 3000):,} | {rng.randint(85, 99)}% |")
        return rows
    rows = ["| 示范岗 | 党员人数 | 主要承诺 |", "| --- | --- | --- |"]
    promises = ("资料齐全当日办结", "政策解释一次讲清", "群众来访首问负责", "基层人员随时答疑", "限时办结不拖延")
    for position in rng.sample(story.unit.positions or POSITIONS, min(3, len(story.unit.positions or POSITIONS))):
        rows.append(f"| {position} | {rng.randint(1, 5)} | {rng.choice(promises)} |")
    return rows


def _link(source: _Story, target: _Story) -> str:
    """A Markdown link from one story's file to another's, relative to the source's folder."""
    href = target.name if target.folder == source.folder else f"../{target.folder}/{target.name}"
    return f"[{target.title}]({href})"


def _body(story: _Story, stories: Sequence[_Story], by_unit: dict[str, list[_Story]], rng: Random) -> str:
    """The Markdown body: an intro, 2–4 sections, maybe a table, maybe links to other stories."""
    ctx = story.ctx
    parts = [_fill(_pick(INTROS[story.kind], story.lead, rng), ctx)]
    order = KIND_TOPICS[story.kind]
    more = rng.sample([t for t in order if t != story.lead], rng.choice((1, 2, 2, 3, 3)))
    topics = [story.lead, *sorted(more, key=order.index)]
    generic = list(GENERIC)
    rng.shuffle(generic)
    pools: list[list[str]] = []
    sections: list[list[str]] = []
    headings: list[str] = []
    for topic in topics:
        titles, sentences = TOPICS[topic]
        headings.append(_fill(rng.choice(titles), ctx))
        # A random selection in the table's order, reversed so that pop() takes the next one;
        # sentences citing “2009年以来” are left out of stories dated 2009 or earlier.
        usable = [text for text in sentences if _LATEST_YEAR.get(text, 0) < story.date.year]
        keep = sorted(rng.sample(range(len(usable)), rng.randint(max(1, len(usable) - 2), len(usable))))
        pool = [usable[i] for i in reversed(keep)]
        pools.append(pool)
        sections.append([])
    target = rng.randint(800, 950)
    size = len(parts[0])
    turn = 0
    while size < target or any(not s for s in sections):
        which = turn % len(sections)
        turn += 1
        pool = pools[which]
        chosen = [pool.pop() if pool else generic.pop() if generic else "" for _ in range(rng.randint(2, 4))]
        paragraph = "".join(_fill(s, ctx) for s in chosen)
        if not paragraph:
            if all(sections):
                break
            paragraph = _fill(GENERIC[0], ctx)
        sections[which].append(paragraph)
        size += len(paragraph)
    if rng.random() < 1 / 3:
        where = rng.randrange(len(sections))
        lead = _fill(TABLE_LEADS[story.kind], ctx)
        sections[where][0] += lead
        sections[where].insert(1, "\n".join(_table(story, rng)))
    if len(stories) > 1 and rng.random() < 0.5:
        others: list[_Story] = []
        same_unit = by_unit[story.unit.id]
        while len(others) < min(rng.randint(1, 2), len(stories) - 1):
            # Half the links go to the same unit's stories, as authors tend to do.
            pick_from = same_unit if len(same_unit) > len(others) + 1 and rng.random() < 0.5 else stories
            other = pick_from[rng.randrange(len(pick_from))]
            if other is not story and other not in others:
                others.append(other)
        links = "和".join(_link(story, other) for other in others)
        sections[-1].append(_fill(rng.choice(CLOSERS), {**ctx, "links": links}))
    for heading, paragraphs in zip(headings, sections, strict=True):
        parts.append(f"## {heading}")
        parts.extend(paragraphs)
    return "\n\n".join(parts) + "\n"


def _units_yaml() -> str:
    lines = ["# 单位名录（make_site.py 生成的测试数据）", ""]
    for unit in UNITS:
        lines.append(f"- id: {unit.id}")
        lines.append(f"  name: {_yaml_text(unit.name)}")
        if unit.parent:
            lines.append(f"  parent: {unit.parent}")
        lines.append(f"  description: {_yaml_text(unit.description)}")
        lines.append("")
    return "\n".join(lines)


def _activities_yaml() -> str:
    lines = ["# 活动主题（make_site.py 生成的测试数据）", ""]
    for activity_id, name, description in ACTIVITIES:
        lines += [f"- id: {activity_id}", f"  name: {name}", f"  description: {_yaml_text(description)}", ""]
    return "\n".join(lines)


def _site_yaml(n: int, seed: int) -> str:
    return (
        f"# make_site.py 生成的测试站点：{n} 篇文章，seed {seed}\n"
        "title: 贞丰县直机关党建（测试数据）\n"
        "description: 示范党支部、党员示范岗和帮扶案例的宣传展示\n"
        "language: zh-CN\n"
        f"per_page: {PER_PAGE}\n"
    )


# --------------------------------------------------------------------------- public API


class TargetNotEmptyError(Exception):
    """The target folder already holds files and emptying it was not asked for."""


def _prepare_target(target: Path, force: bool) -> None:
    """Create the target folder, or empty it when ``force`` is given; refuse otherwise."""
    if target.exists() and not target.is_dir():
        raise TargetNotEmptyError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise TargetNotEmptyError(f"{target} is not empty; pass --force to empty it first")
        resolved = target.resolve()
        if resolved == Path(resolved.anchor) or resolved == Path.home().resolve() or (resolved / ".git").exists():
            raise TargetNotEmptyError(f"refusing to empty {target}: it is the root, home or a git repository")
        for entry in sorted(target.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    target.mkdir(parents=True, exist_ok=True)


def make_site(n: int, target: Path, seed: int = 0, *, force: bool = False) -> None:
    """Write a deterministic site of ``n`` stories into ``target`` (created; must be empty unless ``force``)."""
    if n < 0:
        raise ValueError("n must not be negative")
    target = Path(target)
    _prepare_target(target, force)
    rng = Random(seed)
    stories = _plan(n, rng)
    content = target / "content"
    for folder in _FOLDERS.values():
        (content / folder).mkdir(parents=True, exist_ok=True)
    (target / "site.yaml").write_bytes(_site_yaml(n, seed).encode())
    (content / "units.yaml").write_bytes(_units_yaml().encode())
    (content / "activities.yaml").write_bytes(_activities_yaml().encode())
    by_unit: dict[str, list[_Story]] = {unit.id: [] for unit in UNITS}
    for story in stories:
        by_unit[story.unit.id].append(story)
    for story in stories:
        text = _front_matter(story, rng) + "\n" + _body(story, stories, by_unit, rng)
        (content / story.folder / story.name).write_bytes(text.encode())


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``make_site.py N DIR [--seed S] [--force]``."""
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic dangjian site of N stories.")
    parser.add_argument("n", type=int, help="number of stories")
    parser.add_argument("dir", type=Path, help="site folder to create (must be absent or empty)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--force", action="store_true", help="empty DIR first if it is not empty")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be 0 or more")
    try:
        make_site(args.n, args.dir, args.seed, force=args.force)
    except TargetNotEmptyError as exc:
        print(f"make_site: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {args.n} stories to {args.dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
