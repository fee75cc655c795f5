## Awards (issue 14): the contest «Наставник года» and «Лучшая пара».
btn-awards = 🏆 Конкурс наставников
btn-award-vote = 🗳 Голосование: { $title }
btn-award-publish = 🏅 Объявить победителей
btn-award-broadcast = 📣 Разослать участникам
btn-award-letters = 📄 Благодарственные письма
btn-award-year = 🏆 { $year } учебный год

award-nomination = { $nomination ->
    [mentor] «Наставник года»
   *[pair] «Лучшая пара»
 }

## The shortlists.
awards-title = <b>🏆 Конкурс наставников</b> — { $school }, { $year } учебный год
awards-empty = Кандидатов пока нет: в этом учебном году нет пар и групп с завершёнными программами, проведёнными встречами или отзывами. Шорт-лист появится, когда пары начнут работать.
awards-nomination = <b>{ $title }</b>
awards-no-candidates = Кандидатов нет.
awards-candidate = { $place }. <b>{ $name }</b> — баллов: { $score }
    завершено программ: { $completed }, встреч: { $meetings }, отзывов о встречах: { $feedback }; удовлетворённость: { $satisfaction }; рост самооценки: { $growth }
awards-satisfaction = { $mean } (ответов: { $respondents })
awards-satisfaction-hidden = не учитывается (ответов: { $respondents }, нужно не меньше 3)
awards-growth-none = нет данных
awards-weights = <i>Баллы: завершённая программа ×{ $completed }, проведённая встреча ×{ $meeting }, отзыв о встрече ×{ $feedback }, средняя удовлетворённость по анкетам (1–10, только если ответили не меньше 3 человек) ×{ $satisfaction }, средний рост самооценки от начала к концу программы ×{ $growth }. Ответы анонимных анкет учитываются только средними.</i>

## The vote.
awards-vote-running = 🗳 Голосование идёт до { $deadline }: проголосовали { $answered } из { $recipients }. Итоги — после окончания срока.
awards-vote-over = 🗳 Итоги голосования (проголосовали { $answered } из { $recipients }):
awards-vote-result = { $label } — { $votes ->
    [one] { $votes } голос
    [few] { $votes } голоса
   *[other] { $votes } голосов
 }
awards-vote-hidden = 🗳 Голосование окончено, но проголосовали меньше трёх человек: итоги не показываются, победитель определяется по баллам.
awards-vote-ask = { $title }: до какого срока идёт голосование? Напишите, например: «через неделю», «25 мая», «в пятницу в 18:00».
    Голосуют все наставники и наставляемые школы, у каждого один голос; итоги — после срока.
awards-vote-opened = ✅ Голосование открыто: приглашения получат участники ({ $recipients }), вне «тихих часов». Итоги придут вам после { $deadline }.
award-vote-title = Голосование: { $title }, { $year } учебный год
award-vote-question = Кто, по-вашему, достоин звания { $title }? Выберите одного кандидата.

award-refusal = { $reason ->
    [not_found] Этот учебный год не найден. Откройте конкурс заново.
    [too_few] Для голосования нужны хотя бы два кандидата в номинации.
    [vote_exists] Голосование в этой номинации за этот год уже открыто.
    [busy] Голосование уже открывается. Откройте конкурс заново через несколько секунд.
    [vote_running] Голосование ещё идёт: победителей можно объявить после его окончания.
   *[no_winners] Объявлять некого: кандидатов нет.
 }

## The winners.
awards-winners-title = <b>🏆 Итоги конкурса наставников</b>
    { $school }, { $year } учебный год
awards-winner = { $title }: <b>{ $names }</b>
awards-winner-by-votes = по итогам голосования ({ $votes ->
    [one] { $votes } голос
    [few] { $votes } голоса
   *[other] { $votes } голосов
 })
awards-winner-by-score = по баллам ({ $score })
awards-winners-thanks = Поздравляем победителей и благодарим всех наставников и наставляемых за работу в программе наставничества!
awards-winners-note = Текст выше готов к рассылке: нажмите «Разослать участникам» или перешлите его.
awards-letters-sent = Благодарственные письма готовы ({ $count }).

## The thank-you letter (.docx).
award-letter-title = БЛАГОДАРСТВЕННОЕ ПИСЬМО
award-letter-to = награждается
award-letter-body = за победу в конкурсе { $nomination } по итогам { $year } учебного года, за высокие результаты в программе наставничества{ $partners ->
    [none] .
   *[other] {""} (в паре с: { $partners }).
 }
award-letter-thanks = Выражаем искреннюю благодарность за профессионализм, поддержку коллег и вклад в развитие системы наставничества образовательной организации.
award-letter-signature = Руководитель образовательной организации ______________________
