## Monitoring reports (issue 14): buttons.
btn-reports = 📊 Отчёты
btn-district-report = 📊 Отчёт округа
btn-report-current = 📊 Отчёт за текущий учебный год
btn-report-year = 📊 { $year } учебный год
btn-report-site = 🌐 Итоги для сайта школы
btn-report-acts = 📑 Локальные акты и контакты куратора
btn-report-events = 🏅 Мероприятия, где представлена практика
btn-report-act = ➕ { $act }
btn-report-contacts = ✏ Контакты куратора
btn-report-event-new = ➕ Добавить мероприятие

## The reports screen and the register.
reports-title = <b>Отчёты мониторинга</b> — { $school }
    Выберите учебный год: бот пришлёт сводку, диаграммы, таблицу Excel и аналитическую справку (.docx).
reports-acts-title = <b>Локальные акты</b> — { $school }
reports-acts-empty = Акты ещё не внесены.
reports-act-line = • { $act }: № { $number } от { $date }{ $file ->
    [yes] , файл приложен
   *[no] {""}
 }
reports-contacts-line = <b>Куратор:</b> { $name }, { $email }, { $phone }
reports-contacts-empty = Контакты куратора не указаны.
reports-act-ask = { $act }: напишите номер и дату, например «№ 45 от 01.09.2025». Можно прислать файл приказа с такой подписью.
reports-act-recorded = ✅ Акт внесён в реестр.
reports-contacts-ask = Напишите контакты куратора через точку с запятой: «ФИО; адрес электронной почты; телефон».
reports-contacts-saved = ✅ Контакты куратора сохранены.
reports-events-title = <b>Мероприятия, на которых представлялась практика</b> — { $school }
reports-events-empty = Мероприятия ещё не внесены.
reports-event-line = • { $date } — { $name } ({ $level }): { $result }
reports-event-ask = Напишите мероприятие одной строкой через точку с запятой:
    «Название; уровень (школьный, муниципальный, региональный, федеральный); дата; число участников от школы; результат; ссылка (по желанию)».
    Например: «Педагогические чтения; муниципальный; 15.04.2026; 3; выступление, сертификат».
reports-event-recorded = ✅ Мероприятие внесено.

report-refusal = { $reason ->
    [busy] Отчёт уже готовится, он придёт через несколько секунд.
    [not_found] Этот учебный год не найден. Откройте отчёты заново.
    [number_empty] Не указан номер акта. Напишите, например: «№ 45 от 01.09.2025».
    [number_long] Номер акта слишком длинный. Напишите, например: «№ 45 от 01.09.2025».
    [date_wrong] Не удалось прочитать дату. Напишите её в виде ДД.ММ.ГГГГ, например 01.09.2025.
    [date_future] Дата ещё не наступила. Укажите дату, которая уже прошла.
    [contacts_wrong] Нужно три части через точку с запятой: ФИО; адрес электронной почты (с @); телефон.
    [level_wrong] Уровень — одно из слов: школьный, муниципальный, региональный, федеральный.
   *[event_wrong] Нужно пять или шесть частей через точку с запятой: название; уровень; дата; число участников (цифрами); результат; ссылка.
 }

## Names.
report-act = { $kind ->
    [model] Приказ о внедрении целевой модели наставничества
    [regulation] Приказ об утверждении Положения о системе наставничества
    [roadmap] Приказ об утверждении дорожной карты
    [curator] Приказ о назначении куратора
   *[pairs] Приказ об утверждении наставнических пар (групп)
 }
report-level = { $level ->
    [school] школьный
    [municipal] муниципальный
    [regional] региональный
   *[federal] федеральный
 }
report-end-reason = { $reason ->
    [completed] Завершили программу
    [mentor] Досрочно: по инициативе наставника
    [mentee] Досрочно: по инициативе наставляемого
    [mutual] Досрочно: по взаимному решению
    [not_carried_out] Программа не реализована (решение куратора)
    [left] Досрочно: участник выбыл
    [replace_mentor] Досрочно: замена наставника по просьбе наставляемого
    [release_mentor] Досрочно: по просьбе наставника
   *[other] Досрочно: по другим причинам
 }
report-month = { $month ->
    [1] янв
    [2] фев
    [3] мар
    [4] апр
    [5] май
    [6] июн
    [7] июл
    [8] авг
    [9] сен
    [10] окт
    [11] ноя
   *[12] дек
 } { $year }

## The summary message.
report-summary-title = <b>Мониторинг программы наставничества</b>
    { $school }, { $year } учебный год
report-summary-people = 👥 Наставников: { $mentors }, наставляемых: { $mentees }{ $withdrawn ->
    [0] {""}
   *[other] ; отозвали согласие: { $withdrawn }
 }
report-summary-waiting = ⏳ Ждут наставника: { $count } (дольше всех — { $longest ->
    [one] { $longest } день
    [few] { $longest } дня
   *[other] { $longest } дней
 })
report-summary-nobody-waits = ⏳ Наставляемых, ожидающих наставника, нет.
report-summary-pairs = 🤝 Пар и групп: { $pairs }, из них групп: { $groups }
report-summary-programs = 📘 Программы: действуют { $active }, завершены { $completed }, прекращены досрочно { $early }
report-summary-meetings = 📅 Встречи: состоялись { $held }, не состоялись { $missed }, запланированы { $planned }; отзывов о встречах: { $feedback }
report-summary-no-meetings = 📅 Встреч в этом учебном году не было.
report-summary-satisfaction = 📈 Анкеты удовлетворённости: наставников { $mentors }, наставляемых { $mentees } (средние баллы — в диаграмме и справке)
report-summary-no-satisfaction = 📈 Анкет удовлетворённости пока недостаточно для средних баллов (нужно не меньше трёх ответов в группе).
report-summary-growth = 🌱 Рост участников по самооценке в начале и в конце программы (ответили оба раза: { $count }), средний балл из 10:
report-summary-growth-line = • { $header }: { $before } → { $after } ({ $change })
report-summary-attention = ⚠ Требуют внимания: { $count ->
    [one] { $count } пара
    [few] { $count } пары
   *[other] { $count } пар
 } (список — в таблице)
report-summary-events = 🏅 Мероприятий, где представлена практика: { $count }
report-xlsx-caption = Таблицы мониторинга за { $year } учебный год
report-docx-caption = Аналитическая справка по итогам мониторинга за { $year } учебный год

## Charts.
report-chart-programs = Программы наставничества
report-chart-active = Действуют
report-chart-meetings = Встречи по месяцам
report-chart-held = Состоялись
report-chart-missed = Не состоялись
report-chart-planned = Запланированы
report-chart-satisfaction = Удовлетворённость (средний балл из 10)
report-chart-mentors = Наставники
report-chart-mentees = Наставляемые
report-chart-growth = Рост участников: до и после программы
report-chart-before = До
report-chart-after = После
report-chart-district = Пары и завершённые программы по школам
report-chart-pairs = Пары и группы
report-chart-completed = Завершённые программы

## Tables (sheets of the workbook, tables of the справка).
report-table-people = Участники
report-table-pairs = Пары по формам и видам
report-table-programs = Программы
report-table-meetings = Встречи по месяцам
report-table-satisfaction = Удовлетворённость
report-table-attention = Требуют внимания
report-table-events = Мероприятия
report-table-acts = Локальные акты
report-table-growth = Рост до и после
report-table-empty = Нет данных.
report-column-indicator = Показатель
report-column-value = Значение
report-column-form = Форма наставничества
report-column-kind = Вид
report-column-pairs = Пар и групп
report-column-month = Месяц
report-column-cancelled = Отменены
report-column-feedback = Отзывов о встречах
report-column-question = Вопрос
report-column-mentors = Наставники ({ $count })
report-column-mentees = Наставляемые ({ $count })
report-column-change = Изменение
report-column-respondents = Ответили
report-column-pair = Пара (группа)
report-column-idle = Дней без встреч
report-column-event = Мероприятие
report-column-level = Уровень
report-column-date = Дата
report-column-participants = Участников от школы
report-column-result = Результат
report-column-link = Ссылка
report-column-act = Акт
report-column-number = Номер
report-column-school = Наименование образовательной организации
report-column-contacts = Контакты куратора системы наставничества в ОО (ФИО, адрес электронной почты, телефон)
report-row-mentors = Наставники
report-row-mentees = Наставляемые
report-row-withdrawn = Отозвали согласие на обработку персональных данных
report-row-waiting = Наставляемые, ожидающие наставника
report-row-waiting-mean = Среднее ожидание, дней
report-row-waiting-longest = Самое долгое ожидание, дней
report-row-total = Итого
report-row-completed = Завершены
report-row-ended-early = Прекращены досрочно
report-row-confirmed-programs = Утверждённые персонализированные программы

## The справка.
report-docx-title = Аналитическая справка по итогам мониторинга реализации программы наставничества
report-docx-subtitle = { $school }, { $year } учебный год
report-docx-summary = В учебном году работали { $pairs } наставнических пар и групп (из них групп — { $groups }). Завершили программу: { $completed }, прекращены досрочно: { $early }. Состоялось встреч: { $held }, получено отзывов о встречах: { $feedback }.
report-docx-charts = Диаграммы

## The district.
report-district-title = <b>Отчёт округа</b> — { $district }
    Выберите учебный год: бот пришлёт таблицы «Нормативное сопровождение» и «Мониторинг реализации программ наставничества» (Excel) и диаграмму по школам.
report-district-summary = <b>Мониторинг программ наставничества</b>
    { $district }, { $year } учебный год
    Школ: { $schools }, пар и групп: { $pairs }, завершённых программ: { $completed }, мероприятий: { $events }, наставников прошли обучение: { $trained }
report-district-missing = ⚠ Не заполнили свою часть: { $schools }
report-district-all-filled = ✅ Все школы заполнили свою часть.
report-district-xlsx-caption = Мониторинг программ наставничества округа за { $year } учебный год
report-district-acts = Нормативное сопровождение
report-district-monitoring = Мониторинг реализации
report-district-act = Дата и номер { $kind ->
    [regulation] приказа об утверждении Положения о системе наставничества
    [roadmap] приказа об утверждении Дорожной карты
    [pairs] приказа о формировании и закреплении наставнических пар (групп)
   *[curator] приказа о назначении куратора в ОО
 }
report-district-pairs = Количество наставнических пар, участвующих в программах наставничества
report-district-form = в т. ч. { $form }
report-district-completed = Количество завершённых программ наставничества
report-district-events = Методические мероприятия различного уровня, на которых презентовался опыт / практика реализации программ наставничества (мероприятие, уровень, дата, результат)
report-act-reference = № { $number } от { $date }
report-contacts = { $name }, { $email }, { $phone }
report-event-line = { $name }, { $level }, { $date }, { $result }
report-no-events = нет
report-events-count = мероприятий: { $count }
report-not-filled = не заполнено

## Results for the school website («Наставничество»): no names, no contacts.
report-site-html-caption = Итоги { $year } учебного года для раздела «Наставничество» сайта школы: страница HTML, диаграммы встроены. Персональных данных в ней нет.
report-site-docx-caption = То же в формате Word (.docx).
site-title = Наставничество: итоги учебного года
site-section-pairs = Участники и наставнические пары
site-pairs = В программе наставничества участвуют наставников: { $mentors }, наставляемых: { $mentees }. Сформировано пар и групп: { $pairs } (из них групп: { $groups }).
site-section-programs = Программы наставничества
site-programs = Программ действует: { $active }, завершено: { $completed }, прекращено досрочно: { $early }.
site-section-meetings = Встречи наставников и наставляемых
site-meetings = Состоялось встреч: { $held }; участники оставили отзывов о встречах: { $feedback }.
site-satisfaction = Средний балл по анкетам удовлетворённости (из 10); показаны только группы из трёх и более ответивших.
site-growth = Самооценка участников в начале и в конце программы, средний балл из 10.
site-section-events = Представление практики на мероприятиях
site-no-events = В этом учебном году практика на мероприятиях пока не представлялась.
site-section-practices = Лучшие практики наставничества
site-practice = Цель: { $goal }. Что сделано: { $done }. Результат: { $result }.
site-practice-names = Наставник: { $mentor }; наставляемые: { $mentees }.
site-section-acts = Нормативные документы
