status-report =
    <b>Состояние бота</b>
    Версия: { $version }
    Работает: { $uptime }
    База данных: { $database_mb } МБ
    Очередь исходящих: { $queued }, самое старое к отправке: { $oldest }
    Последний такт планировщика: { $last_tick }
    Сбоев доставки за 24 ч: { $failures }
    Удаление данных (152-ФЗ): { $erasure }
erasure-summary = { $when }; отозвавших согласие: { $people }, очищено сообщений: { $messages }, удалено старых копий: { $backups }
erasure-never-ran = ещё не запускалось
