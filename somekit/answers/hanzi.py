"""Traditional Chinese answers read with the Simplified vocabulary the rules know ("這是謠言" is
"这是谣言"). No Traditional-to-Simplified library (opencc, zhconv, hanziconv) is installed in
somekit's environment, so this is a table of the task vocabulary's characters only: the label
words, verdict verbs, markers and negations of labels.py, verdict.py and extract.py. A character
outside it is left as written; a character here has a single Simplified form in this vocabulary.
"""

from __future__ import annotations

_PAIRS = (
    # rumour / veracity
    "謠谣 實实 虛虚 誤误 導导 屬属 確确 證证 據据 斷断 編编 騙骗 傳传 訊讯 聞闻 錯错 準准 僞伪 偽伪 "
    # emotion
    "憤愤 傷伤 懼惧 驚惊 緒绪 極极 積积 氣气 歡欢 樂乐 興兴 愛爱 厭厌 惡恶 憂忧 慮虑 擔担 遺遗 悶闷 淚泪 煩烦 "
    "訝讶 驚惊 滿满 懷怀 喪丧 慘惨 動动 憐怜 "
    # recommendation, authorship, interaction
    "薦荐 讚赞 點点 轉转 發发 評评 論论 覆复 寫写 戶户 與与 該该 會会 應应 當当 後后 關关 於于 "
    "條条 這这 個个 則则 為为 們们 來来 還还 沒没 無无 並并 對对 說说 讓让 認认 覺觉 "
    "從从 從从 結结 總总 綜综 觀观 體体 選选 擇择 類类 標标 籤签 簽签 預预 測测 題题 問问 "
    "嗎吗 麼么 過过 經经 絕绝 許许 較较 難难 顯显 見见 視视 網网 釣钓 補补 貼贴 "
    "給给 麼么 裏里 裡里 開开 將将 機机 場场 時时 間间 頭头 長长 們们 樣样 種种 歸归 據据 "
    # advice and reading ("建議不推薦", "閱讀"), declining ("無法斷定", "不適合")
    "議议 適适 讀读 閱阅 歡欢 帶带 藝艺 動动 證证 據据 實实 斷断 評评 級级 給给 結结 論论"
)
_TABLE = str.maketrans({pair[0]: pair[1] for pair in _PAIRS.split() if len(pair) == 2})


def simplified(text: str) -> str:
    """The text with the table's Traditional characters in their Simplified form."""
    return text.translate(_TABLE)
