## Why something was not done with a pair (bot/pairs/service.py: PairsRefusal).
pair-refusal = { $reason ->
    [self] Нельзя составить пару из одного человека.
    [mentor_unavailable] Этот наставник сейчас недоступен: анкета не заполнена, согласие отозвано или нет мест.
    [mentee_unknown] Этот наставляемый не найден в банке школы (возможно, отозвал согласие).
    [awaiting_parent] Ученика нельзя включить в пару, пока родитель не дал согласие.
    [mentee_not_ready] Наставляемый ещё не заполнил анкету.
    [mentor_full] У наставника уже нет свободных мест: он набрал столько наставляемых, сколько готов вести.
    [mentee_taken] Этот наставляемый уже в паре или приглашён в другую пару.
    [invitation_gone] Это приглашение уже неактуально: на него ответили или куратор его отозвал.
    [draft_gone] Эта строка черновика уже обработана.
    [drafts_changed] Список черновика изменился после того, как вы его открыли. Проверьте актуальный список и нажмите «Принять все» ещё раз.
    [not_invited] Отозвать можно только приглашение, на которое ещё не ответили.
    [not_active] Пара не действует: изменить её нельзя.
    [request_duplicate] Ваш прошлый запрос по этой паре ещё ждёт решения куратора.
    [request_gone] Этот запрос уже рассмотрен.
    [no_active_pairs] Действующих пар пока нет: приказ формируется после того, как пары примут приглашения.
   *[not_yours] Эта пара вам недоступна.
 }

## How a pair is named to people: «Иванова А. П. — Петрова М. С.» (bot/pairs/naming.py).
pair-title = { $mentor } — { $mentees }
pair-person-unnamed = участник без анкеты

## Matching: the reasons shown beside a proposed pair.
match-needs = { $needs ->
    [0] затруднения не указаны
   *[other] { $covered ->
        [one] совпадает
       *[other] совпадают
    } { $covered } из { $needs ->
        [one] { $needs } затруднения
       *[other] { $needs } затруднений
    }
 }
match-subjects = общий предмет: { $subjects }
match-subjects-none = предметы разные
format-name = { $format ->
    [in_person] очно
    [remote] дистанционно
   *[mixed] смешанно
 }
match-format-unknown = формат не указан
match-format-same = оба { $format }
match-format-differ = формат: { $mentee } / { $mentor }
match-days = общие дни: { $days }
match-days-none = нет общих дней

## Forms, kinds and statuses of a pair (PairForm, PairKind, PairStatus).
pair-form = { $form ->
    [teacher_teacher] учитель – учитель
    [student_student] ученик – ученик
    [teacher_student] учитель – ученик
    [head_teacher] руководитель ОО – педагог
    [employer_student] работодатель – студент
   *[university_teacher] педагог вуза/колледжа – молодой педагог
 }
pair-kind = { $kind ->
    [traditional] традиционное
    [group] групповое
    [virtual] виртуальное
    [short_term] краткосрочное
    [reverse] реверсивное
    [situational] ситуационное
   *[speed] скоростное
 }
pair-status = { $status ->
    [invited] ждёт ответов
    [active] действует
    [declined] отклонена
    [withdrawn] отозвана
    [completed] программа выполнена
   *[ended] завершена
 }

## Invitations and answers.
pair-invitation =
    <b>Приглашение в наставническую пару</b>

    Наставник: { $mentor }
    { $count ->
        [one] Наставляемый
       *[other] Наставляемые
    }: { $mentees }
    Форма: { $form }; вид: { $kind }.

    Принимая приглашение, вы даёте письменное согласие на участие в программе наставничества и выполнение обязанностей участника пары.
pair-accepted-notice = { $who } принял(а) приглашение в пару { $pair }.
pair-started-notice = { $who } принял(а) приглашение в пару { $pair }. Все участники согласны — пара начала работу.
pair-declined-notice = { $who } отказался(-лась) от участия в паре { $pair }. Причина: { $reason }. Наставляемый возвращён в банк.
pair-accepted = Спасибо! Ваше согласие на участие в паре записано.
pair-declined = Ваш отказ записан, куратор получит уведомление.
pair-ask-reason = Коротко напишите причину отказа (до 300 символов) — её увидит куратор.
btn-accept = ✅ Принимаю
btn-decline = Отказаться

## The curator's list of pairs and the proposal draft.
btn-pairs = 🤝 Пары
btn-propose = ✨ Предложить пары
btn-accept-all = ✅ Принять все ({ $count })
btn-drafts-next = Ещё { $count } »
btn-drafts-previous = « Предыдущие
btn-order = 📄 Приказ о парах (.docx)
pairs-title = <b>Пары</b> · { $school }
pairs-empty = Пар пока нет. Нажмите «Предложить пары» — бот подберёт их по анкетам.
pair-line = { $number }. { $pair }: { $status }
pair-line-at-risk = { $number }. { $pair }: { $status } ⚠ требует внимания: нет встреч { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
 }
pair-at-risk = Пара { $pair } требует внимания: нет встреч { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
 }.
drafts-empty = Предложить некого: нет наставляемых, ждущих наставника, или у наставников нет мест.
drafts-title = <b>Предложение пар</b> (черновик). Примите, замените или уберите строки.
drafts-shown = Строки { $first }–{ $last } из { $total }. «Принять все» примет все { $total }.
draft-line =
    { $number }. { $mentee } ← { $mentor } · { $score ->
        [one] { $score } балл
        [few] { $score } балла
        [many] { $score } баллов
       *[other] { $score } балла
    }
       <i>{ $reasons }</i>
draft-accepted = Пара создана, участникам отправлены приглашения.
drafts-accepted = Создано пар: { $created }, приглашения отправлены.{ $refused ->
    [0] {""}
   *[other] {" "}Не удалось: { $refused } — эти строки остались в черновике; нажмите ✅ у строки, чтобы увидеть причину.
 }
alternatives-title = Кандидаты в наставники для «{ $name }»:
candidate-line =
    { $number }. { $mentor } · { $score ->
        [one] { $score } балл
        [few] { $score } балла
        [many] { $score } баллов
       *[other] { $score } балла
    }
       <i>{ $reasons }</i>
waiting-title = <b>Наставляемые ждут наставника</b>
waiting-line = • { $name } — { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
 }
waiting-more = … и ещё { $count }
waiting-footer = Подберите пары: школа → «🤝 Пары» → «✨ Предложить пары».

## Choosing a mentor by preferences, after the candidates' group meeting.
btn-preferences = 🗳 Выбор наставника по предпочтениям
preferences-opened = Выбор наставника по предпочтениям начат: вопросы отправлены { $mentees } { $mentees ->
    [one] наставляемому
   *[other] наставляемым
 } и { $mentors } { $mentors ->
    [one] наставнику
   *[other] наставникам
 }. Их выбор будет учтён, когда вы нажмёте «Предложить пары».
preferences-ask-mentee = После встречи кандидатов куратор просит вас назвать наставников, с которыми вы хотели бы работать: отметьте до трёх. Взаимный выбор будет учтён в первую очередь.
preferences-ask-mentor = После встречи кандидатов куратор просит вас отметить наставляемых, которых вы готовы взять. Взаимный выбор будет учтён в первую очередь.
preference-limit = Можно выбрать не больше трёх наставников. Снимите отметку с одного из них.
preference-closed = Выбор наставника по предпочтениям для вас завершён: вы уже в паре или не участвуете в подборе.

## The director's order «Об утверждении наставнических пар/групп».
order-ask = Укажите номер и дату приказа, например: <code>45-о от 01.09.2026</code>. Если номера ещё нет, нажмите «Без номера»: в документе останется поле «№ ____ от «__» ______ 20__ г.» для заполнения от руки.
order-bad-reference = Не удалось прочитать номер и дату. Напишите номер, слово «от» и дату ДД.ММ.ГГГГ, например: <code>45-о от 01.09.2026</code>, или нажмите «Без номера».
btn-order-blank = Без номера (заполнить от руки)
order-caption = Проект приказа об утверждении наставнических пар/групп.
order-caption-numbered = Приказ { $reference } об утверждении наставнических пар/групп. Номер и дата сохранены для отчёта округу.
order-reference = № { $number } от { $date }
order-reference-blank = № ____ от «__» ______ 20__ г.
order-heading = ПРИКАЗ
order-title = Об утверждении наставнических пар/групп
order-preamble = В соответствии с Положением о системе наставничества педагогических работников и дорожной картой реализации программы наставничества, на основании анкет участников и их письменного согласия
order-item-approve =
    ПРИКАЗЫВАЮ:
    1. Утвердить наставнические пары/группы:
order-column-number = №
order-column-mentor = Наставник
order-column-mentees = Наставляемый(е)
order-column-form = Форма
order-column-kind = Вид
order-column-term = Срок
order-term = с { $start }
order-item-programs = 2. Наставникам совместно с наставляемыми разработать персонализированные программы наставничества в течение месяца.
order-item-control = 3. Контроль исполнения приказа возложить на куратора программы наставничества.
order-signature = Директор ______________ / ______________ /

## A pair's card, its program and requests.
btn-program-open = 🗂 Открыть пару и программу
btn-program-edit = ✏ Составить / изменить программу
btn-program-confirm = ✅ Подтвердить программу
btn-program-docx = 📄 Программа (.docx)
btn-request-replace = 🔁 Попросить заменить наставника
btn-request-release = 🚪 Попросить освободить от наставничества
btn-approve = ✅ Одобрить
btn-reject = ✖ Отклонить
pair-card =
    <b>Наставническая пара</b> { $pair }
    Наставник: { $mentor }
    Наставляемые: { $mentees }
    Форма: { $form }; вид: { $kind }
    Статус: { $status }
    Программа: { $program }
pair-not-yours = Эта пара вам недоступна.
request-ask-reason = Коротко опишите причину (до 500 символов) — её увидит куратор.
request-sent = Запрос отправлен куратору. Ответ придёт сюда.
request-ask-comment = Напишите комментарий к решению (его увидит участник).
request-notice = { $who } (пара { $pair }) { $kind ->
    [release_mentor] просит освободить его от наставничества.
   *[replace_mentor] просит заменить наставника.
 }
    Причина: { $reason }
request-decided-notice = { $approved ->
    [yes] Куратор одобрил запрос по паре { $pair } — пара завершена досрочно.
   *[no] Куратор отклонил ваш запрос по паре { $pair }.
 } Комментарий: { $comment }
request-decided = Решение записано, участники пары получат уведомление.
my-pairs-title = <b>Мои пары</b>
my-pairs-empty = Вы пока не в паре. Куратор пришлёт приглашение, когда подберёт пару.
btn-my-pairs = 🤝 Мои пары
btn-pair-form = 🔧 Форма
btn-pair-kind = 🔧 Вид
btn-pair-add = ➕ Добавить наставляемого (группа)
btn-pair-withdraw = ✖ Отозвать приглашение
pair-pick-form = Выберите форму наставничества.
pair-pick-kind = Выберите вид наставничества.
pair-pick-mentee = Кого пригласить в группу? (наставляемые, ждущие наставника)
pair-no-waiting = Свободных наставляемых с заполненной анкетой нет.
pair-updated = Сохранено.
pair-mentee-added = Приглашение отправлено, пара стала группой.
pair-withdrawn = Приглашение отозвано.
