# frozen_string_literal: true

module Billing
  # A customer's subscription: a plan and a number of seats from a start date, changed or
  # cancelled over time, billed monthly in advance on the start date's day of the month.
  #
  # Changes and the cancellation are recorded in date order; invoices are computed from the
  # whole history on every call, so recording another change is reflected the next time.
  class Subscription
    # What the customer has at some moment: a plan and a number of seats.
    Seating = Struct.new(:plan, :seats) do
      def monthly_cents
        plan.seat_price_cents * seats
      end
    end
    private_constant :Seating

    attr_reader :starts_on, :cancelled_on

    def initialize(plan:, seats:, starts_on:)
      check_plan!(plan)
      check_seats!(seats)
      check_date!(starts_on, "starts_on")

      @starts_on = starts_on
      @initial = Seating.new(plan, seats).freeze
      @events = [] # [Date, Seating or nil (cancelled)], in date order
      @cancelled_on = nil
    end

    # Switches plan, seats or both from the start of `on`. Returns self.
    def change(on:, plan: nil, seats: nil)
      raise ArgumentError, "a change needs a plan, seats or both" if plan.nil? && seats.nil?

      check_plan!(plan) unless plan.nil?
      check_seats!(seats) unless seats.nil?
      check_event_date!(on)

      current = seating_after(on)
      @events << [on, Seating.new(plan || current.plan, seats || current.seats).freeze]
      self
    end

    # Ends the subscription from the start of `on`: the rest of the current period is credited
    # and nothing is billed from then on. Returns self.
    def cancel(on:)
      check_event_date!(on)

      @events << [on, nil]
      @cancelled_on = on
      self
    end

    # Every invoice issued on or before `date`, oldest first.
    def invoices_through(date)
      check_date!(date, "date")

      balance = 0
      invoices = []
      each_issue(through: date) do |issued_on, lines|
        total = lines.sum(&:amount_cents)
        applied = total.positive? ? [balance, total].min : 0
        balance += total.negative? ? -total : -applied
        invoices << Invoice.new(issued_on: issued_on, lines: lines, total_cents: total,
                                credit_applied_cents: applied,
                                amount_due_cents: [total - applied, 0].max,
                                balance_after_cents: balance)
      end
      invoices
    end

    private

    # Yields (day, lines) for each invoice up to `through`: the renewal at each period's start,
    # then one invoice per later day of the period on which the seating changed.
    def each_issue(through:)
      (0..).each do |index|
        # Always counted from the start date: Date#>> keeps the 31st where a month has one and
        # clamps to the month's last day where it has not, without drifting afterwards.
        period_start = starts_on >> index
        period_end = starts_on >> (index + 1)
        break if period_start > through

        seating = seating_after(period_start)
        break if seating.nil?

        yield period_start, [renewal(seating, period_start, period_end)]

        change_days(after: period_start, before: period_end, through: through).each do |day|
          old = seating_after(day - 1)
          new = seating_after(day)
          next if old == new

          lines = [prorated(:credit, old, day, period_start, period_end)]
          lines << prorated(:charge, new, day, period_start, period_end) if new
          yield day, lines
        end
      end
    end

    def change_days(after:, before:, through:)
      @events.map(&:first).uniq.select { |day| day > after && day < before && day <= through }
    end

    # The seating in force at the end of `day` (nil once cancelled).
    def seating_after(day)
      @events.reduce(@initial) { |seating, (on, next_seating)| on <= day ? next_seating : seating }
    end

    def renewal(seating, period_start, period_end)
      line(:renewal, seating, period_start, period_end, seating.monthly_cents)
    end

    # The share of a month's price for the days from `day` to the end of the period, in whole
    # cents (halves up); a credit is the same amount, negative.
    def prorated(kind, seating, day, period_start, period_end)
      share = Rational(seating.monthly_cents * (period_end - day).to_i,
                       (period_end - period_start).to_i)
      cents = share.round(half: :up)
      line(kind, seating, day, period_end, kind == :credit ? -cents : cents)
    end

    def line(kind, seating, starts_on, ends_on, amount_cents)
      Line.new(kind: kind, plan_code: seating.plan.code, seats: seating.seats,
               starts_on: starts_on, ends_on: ends_on, amount_cents: amount_cents)
    end

    def check_event_date!(on)
      check_date!(on, "on")
      raise InvalidChange, "the subscription was cancelled on #{cancelled_on}" if cancelled_on
      if on < starts_on
        raise InvalidChange, "#{on} is before the subscription starts (#{starts_on})"
      end

      last = @events.last&.first
      return unless last && on < last

      raise InvalidChange, "#{on} is before the last recorded change (#{last}): record in order"
    end

    def check_plan!(plan)
      raise ArgumentError, "plan must be a Billing::Plan, got #{plan.inspect}" unless plan.is_a?(Plan)
    end

    def check_seats!(seats)
      return if seats.is_a?(Integer) && seats.positive?

      raise ArgumentError, "seats must be a positive Integer, got #{seats.inspect}"
    end

    def check_date!(value, name)
      raise ArgumentError, "#{name} must be a Date, got #{value.inspect}" unless value.is_a?(Date)
    end
  end
end
